// Draws the level scores of a result page with Chart.js; the table next to it holds the same
// numbers as text.
(function () {
  "use strict";
  const source = document.getElementById("chart-data");
  const canvas = document.getElementById("level-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colours = ["#0d6efd", "#d63384", "#198754"];
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (set, i) {
        return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length] };
      }).concat([{
        type: "line", label: data.thresholdLabel,
        data: data.labels.map(function () { return data.threshold; }),
        borderColor: "#6c757d", borderDash: [6, 4], pointRadius: 0, fill: false,
      }]),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { min: 0, max: data.max, ticks: { stepSize: 1 } },
        // The level names need room beside the bars that a phone does not have: there the
        // axis says "Level 2" and the table under the chart gives the names.
        y: {
          ticks: {
            callback: function (value, index) {
              return this.chart.width < 576 ? data.shortLabels[index] : data.labels[index];
            },
          },
        },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
})();
