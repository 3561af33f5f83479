// Results of a questionnaire: one bar chart per question, the region beside the chosen school.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const source = document.getElementById("survey-charts");
    if (!source || typeof Chart === "undefined") return;
    JSON.parse(source.textContent).forEach(function (c) {
      const canvas = document.getElementById("chart-" + c.id);
      if (!canvas) return;
      const datasets = [{label: "Регион", data: c.region, backgroundColor: "#5b9bd5"}];
      if (c.school) datasets.push({label: "Школа", data: c.school, backgroundColor: "#e0a800"});
      new Chart(canvas, {
        type: "bar",
        data: {labels: c.labels, datasets: datasets},
        options: {
          indexAxis: "y", responsive: true, animation: false,
          plugins: {tooltip: {callbacks: {label: function (ctx) { return ctx.dataset.label + ": " + ctx.raw + " %"; }}}},
          scales: {x: {min: 0, max: 100, ticks: {callback: function (v) { return v + " %"; }}}},
        },
      });
    });
  });
})();
