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
