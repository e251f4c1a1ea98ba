// The poster's print button (no inline handlers: the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var button = document.getElementById("print-poster");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
});
