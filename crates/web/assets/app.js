// Progressive enhancement only: every page works without this file.
// Forms marked data-confirm ask before they are sent (no inline script: CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
