// The overview's sign-ups chart: reads the numbers from the page's JSON block and draws them
// with uPlot (loaded before this file). Without scripts, the table under the chart has the same figures.
(() => {
  const box = document.getElementById("signups-chart");
  const source = document.getElementById("signups-data");
  const uPlot = window.uPlot;
  if (!box || !source || typeof uPlot !== "function") return;
  const data = JSON.parse(source.textContent || "[[],[],[]]");
  const locale = box.dataset.locale === "en" ? "en-GB" : "vi-VN";
  const day = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
  const width = () => Math.max(280, box.clientWidth);
  const whole = (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : ""));
  const chart = new uPlot({
    width: width(),
    height: 260,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, max)] } },
    axes: [
      { values: (u, splits) => splits.map((s) => day.format(new Date(s * 1000))) },
      { values: whole },
    ],
    series: [
      { label: box.dataset.labelDay, value: (u, v) => (v == null ? "" : day.format(new Date(v * 1000))) },
      { label: box.dataset.labelRegistrations, stroke: "#0172ad", fill: "rgba(1,114,173,0.12)", width: 2 },
      { label: box.dataset.labelEnterprises, stroke: "#c2410c", width: 2 },
    ],
  }, data, box);
  window.addEventListener("resize", () => chart.setSize({ width: width(), height: 260 }));
})();
