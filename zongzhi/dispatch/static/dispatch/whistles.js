// 多长联调: tick the units and grid head of the preset roster in the whistle form.
(function () {
  "use strict";
  var button = document.getElementById("whistle-preset-button");
  var data = document.getElementById("whistle-preset");
  if (!button || !data) return;
  var preset = JSON.parse(data.textContent);
  button.addEventListener("click", function () {
    var form = button.closest("form");
    [["units", preset.units], ["grid_heads", preset.grid_heads]].forEach(function (pair) {
      pair[1].forEach(function (id) {
        var box = form.querySelector('input[name="' + pair[0] + '"][value="' + id + '"]');
        if (box && !box.disabled) box.checked = true;
      });
    });
  });
})();
