"""The request pages: the list and a request's page (``rfas``), the form (``rfa_form``)."""
