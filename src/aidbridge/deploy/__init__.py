"""The production deployment: nginx in front of gunicorn and a task worker
(``aidbridge deploy``, see ``stack.py``)."""
