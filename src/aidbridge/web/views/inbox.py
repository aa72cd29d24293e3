"""The inbox: the user's notifications, newest first, each leading to its object's
page; marking read is a plain form POST (works without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aidbridge.notifications import selectors, services
from aidbridge.notifications.links import page_paths
from aidbridge.web.worklists import worklists

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.inbox(request.user, unread=True if unread_only else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    notes = list(page.object_list)
    pages = page_paths(n.link for n in notes)
    for note in notes:
        note.page = pages.get(note.link, "")  # type: ignore[attr-defined]
    context = {
        "notes": notes,
        "page": page,
        "unread_only": unread_only,
        "nav": "inbox",
        "work": worklists(request.user),
    }
    return render(request, "web/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.own_notification(request.user, pk)
    services.mark_read(request.user, note)
    # "open": read it and go to its page in one click.
    target = page_paths([note.link]).get(note.link) if "open" in request.POST else ""
    return redirect(target or "web:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    selectors.inbox(request.user)  # refuses an account without a role
    marked = services.mark_all_read(request.user)
    if marked:
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", marked)
            % {"n": marked},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect("web:inbox")
