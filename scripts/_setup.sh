# Shared by scripts/demo and scripts/test: install what is missing, then sync the project.
# Sourced, not run. Everything here is idempotent: a second run installs nothing.

# Debian packages the project needs at run or test time. Extend this one list.
#   chromium          browser tests (Playwright drives /usr/bin/chromium)
#   poppler-utils     pdftotext / pdftoppm, to check generated PDFs
#   gettext           msgfmt, to compile the French translations
#   libpango*, libharfbuzz*  WeasyPrint's text layout (PDF sitreps)
#   fonts-dejavu-core a font with accents for the PDFs
#   nginx, openssl    the production stack (`aidbridge deploy`) and its tests: the reverse
#                     proxy, and a self-signed certificate for TLS
#   redis-server      the RQ task backend (AIDBRIDGE_TASKS_BACKEND=django_tasks_rq.RQBackend)
#                     and its test
APT_PACKAGES="chromium poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core nginx openssl redis-server"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_apt_packages() {
    local missing=""
    # npm installs the front-end packages (package.json); Debian's nodejs if none is here.
    if [ -f package.json ] && ! command -v npm >/dev/null 2>&1; then
        APT_PACKAGES="$APT_PACKAGES nodejs npm"
    fi
    for pkg in $APT_PACKAGES; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing="$missing $pkg"
        fi
    done
    if [ -z "$missing" ]; then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        log "missing system packages:$missing (no apt-get here: install them by hand)"
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    log "installing system packages:$missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

ensure_uv() {
    if command -v uv >/dev/null 2>&1; then
        UV="uv"
    else
        if ! python3 -m uv --version >/dev/null 2>&1; then
            log "installing uv"
            python3 -m pip install --quiet uv
        fi
        UV="python3 -m uv"
    fi
    export UV
}

compile_translations() {
    # Only when the project ships translations and gettext's msgfmt is available.
    if [ -d src/aidbridge/locale ] && command -v msgfmt >/dev/null 2>&1; then
        log "compiling translations"
        (cd src/aidbridge && $UV run --frozen django-admin compilemessages -v 0)
    fi
}

project_setup() {
    ensure_apt_packages
    ensure_uv
    log "syncing the Python environment (uv sync --frozen)"
    $UV sync --frozen
    if [ -f package.json ]; then
        log "installing front-end packages (npm ci)"
        npm ci --no-audit --no-fund
    fi
    compile_translations
}
