// Draws a person's attained level over the rounds with Chart.js; the table below holds the
// same numbers as text.
(function () {
  "use strict";
  const source = document.getElementById("history-data");
  const canvas = document.getElementById("history-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colours = ["#0d6efd", "#d63384"];
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (set, i) {
        return {
          label: set.label, data: set.data, borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length], spanGaps: true, tension: 0,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: data.max, ticks: { stepSize: 1 } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
})();
