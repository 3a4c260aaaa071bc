// Team dashboard charts; the tables beside them carry the same numbers as text.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const dist = document.getElementById("distribution-chart");
  if (dist) {
    new window.Chart(dist, {
      type: "bar",
      data: {
        labels: data.distribution.labels,
        datasets: [{
          label: data.distribution.label,
          data: data.distribution.data,
          backgroundColor: data.distribution.labels.map(function (l) {
            return Number(l) >= data.distribution.target ? "#198754" : "#adb5bd";
          }),
        }],
      },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
  const trend = document.getElementById("trend-chart");
  if (trend) {
    new window.Chart(trend, {
      type: "line",
      data: { labels: data.trend.labels, datasets: [{ label: data.trend.label, data: data.trend.data, borderColor: "#0d6efd", spanGaps: true }] },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    });
  }
})();
// Outcome measures beside the level trend: one small chart per series on one axis of months,
// never one chart with two scales (which would suggest that one follows the other). The table
// below them holds the same numbers.
(function () {
  "use strict";
  const source = document.getElementById("outcome-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  function small(canvas, dataset, color, yScale, spanGaps) {
    if (!canvas) return;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ label: dataset.label, data: dataset.data, borderColor: color, backgroundColor: color, spanGaps: spanGaps, pointRadius: 3 }],
      },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: 6 } }, y: yScale },
      },
    });
  }
  // The levels are measured once a round, the outcomes every month: the level line joins its
  // rounds, an outcome line shows a month without a value as a gap.
  small(document.getElementById("outcome-level-chart"), data.level, "#0d6efd", { min: 0, max: 100 }, true);
  data.series.forEach(function (series) {
    small(document.getElementById(series.id), series, "#6f42c1", { grace: "10%" }, false);
  });
})();
