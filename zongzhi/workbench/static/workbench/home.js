// The home page's colour chart; its data comes from the json_script element
// #colour-chart-data (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  var element = document.getElementById("colour-chart");
  var source = document.getElementById("colour-chart-data");
  if (!element || !source || !window.echarts) { return; }
  var chart = window.echarts.init(element);
  chart.setOption({
    textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
    legend: { bottom: 0, icon: "circle" },
    series: [{
      type: "pie",
      radius: ["42%", "68%"],
      center: ["50%", "44%"],
      label: { formatter: "{c}" },
      data: JSON.parse(source.textContent)
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
