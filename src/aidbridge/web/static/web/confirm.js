// A form marked data-confirm asks before it is sent (what it does cannot be undone).
// Without JavaScript the form still sits behind its <details> disclosure.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
