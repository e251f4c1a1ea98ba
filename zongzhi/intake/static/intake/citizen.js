// Progressive help for the report form; the form works without it.
(function () {
  "use strict";
  var text = document.querySelector("textarea[data-counter]");
  if (text) {
    var out = document.getElementById(text.getAttribute("data-counter"));
    var max = parseInt(text.getAttribute("maxlength"), 10) || 2000;
    var update = function () {
      out.textContent = text.value.length + " / " + max + " 字";
      out.className = text.value.length >= max ? "over" : "";
    };
    text.addEventListener("input", update);
    update();
  }
  var button = document.getElementById("use-location");
  if (button && navigator.geolocation) {
    var status = document.getElementById("location-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "正在获取位置…";
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
          document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
          status.textContent = "已获取当前位置（" + pos.coords.latitude.toFixed(4) + ", " +
            pos.coords.longitude.toFixed(4) + "）";
        },
        function () { status.textContent = "未能获取位置，可以在上面填写具体位置"; },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  }
  // A double tap sends the form once; a retry after a network error is still safe because
  // the form's client token makes the server return the first case.
  var form = document.getElementById("report-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "refresh_place") { return; }
      var btn = document.getElementById("submit-report");
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      btn.textContent = "正在提交…";
      setTimeout(function () { delete form.dataset.sent; btn.textContent = "提交反映"; }, 8000);
    });
  }
})();
