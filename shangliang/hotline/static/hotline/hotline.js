// Charts of the hotline pages: the region tree as a treemap (records by township and village) and the
// records per month. Data comes from json_script blocks; ECharts is served by the app.
(function () {
  "use strict";
  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = window.echarts.init(el);
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  function trend(id, months) {
    var c = chart(id);
    if (!c || !months) return;
    c.setOption({
      grid: { left: 40, right: 10, top: 20, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: months.map(function (m) { return m.n; }), itemStyle: { color: "#b71c1c" } }]
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("hotline-data");
    if (data) {
      data = JSON.parse(data.textContent);
      var map = chart("place-map");
      if (map && data.tree && data.tree.children) {
        map.setOption({
          tooltip: { formatter: function (p) { return p.name + "：" + p.value; } },
          series: [{ type: "treemap", data: data.tree.children, leafDepth: 2, roam: false,
                     breadcrumb: { show: true }, label: { show: true, formatter: "{b}\n{c}" },
                     levels: [{ itemStyle: { borderWidth: 2, gapWidth: 2 } }, { colorSaturation: [0.35, 0.6] }] }]
        });
      }
      trend("month-trend", data.months);
    }
    var months = document.getElementById("issue-months");
    if (months) trend("month-trend", JSON.parse(months.textContent));
  });
})();
