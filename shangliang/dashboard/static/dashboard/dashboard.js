// Draws the dashboard's charts with ECharts from the JSON the page embeds (#dashboard-data).
// Each chart sits next to a table with the same figures, which is what remains without JavaScript.
// Clicking a bar or a point opens the records behind it.
(function () {
  "use strict";

  var RED = "#c0392b";
  var COLOURS = [RED, "#7f8c8d", "#1a7f37", "#2c6fbb"];

  // ECharts' own tooltip markup carries style="" attributes, which the Content-Security-Policy
  // refuses; this one uses the classes of dashboard.css. Labels and names are escaped.
  function tooltip(params) {
    var list = Array.isArray(params) ? params : [params];
    var escape = window.echarts.format.encodeHTML;
    var rows = list.map(function (p) {
      return (
        '<div class="tip-row"><span class="tip-dot tip-c' + (p.seriesIndex % COLOURS.length) + '"></span>' +
        escape(p.seriesName) + "<b>" + escape(String(p.value)) + "</b></div>"
      );
    });
    return '<div class="tip-head">' + escape(list[0].axisValueLabel || list[0].name) + "</div>" + rows.join("");
  }

  function draw(spec) {
    var box = document.getElementById(spec.id);
    if (!box || !spec.labels.length) {
      return;
    }
    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var isLine = spec.type === "line";
    var many = spec.series.length > 1;
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", formatter: tooltip },
      legend: many ? { top: 0 } : undefined,
      grid: { left: 16, right: 16, top: many ? 40 : 28, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.labels,
        axisLabel: { interval: 0, rotate: spec.labels.length > 6 ? 40 : 0 },
      },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: isLine ? "line" : "bar",
          data: s.values,
          smooth: false,
          symbolSize: 8,
          label: {
            show: true,
            position: "top",
            formatter: function (p) {
              return p.value ? String(p.value) : "";
            },
          },
          cursor: "pointer",
        };
      }),
    });
    chart.on("click", function (params) {
      var series = spec.series[params.seriesIndex];
      var url = series && series.urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) {
      return;
    }
    JSON.parse(source.textContent).charts.forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
