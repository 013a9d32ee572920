// Draws every .chart-canvas on the page with ECharts (templates/stats/_chart.html): the data comes
// from the json_script next to it; ECharts and the map files are loaded from our own static files,
// once each, only when a page has a chart. The table under each chart shows the same figures.
(function () {
  if (window.XZCharts) return; // the include adds this script once per chart
  window.XZCharts = true;
  var loaded = {};

  function load(src) {
    if (!loaded[src]) {
      loaded[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("failed to load " + src)); };
        document.head.appendChild(s);
      });
    }
    return loaded[src];
  }

  function json(src) {
    if (!loaded[src]) {
      loaded[src] = fetch(src).then(function (r) { return r.json(); });
    }
    return loaded[src];
  }

  function go(url) {
    if (url) window.location.href = url;
  }

  function cartesian(spec) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", name: spec.unit },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.kind === "line" ? "line" : "bar", data: s.values };
      }),
    };
  }

  function pie(spec) {
    var first = spec.series[0] || { values: [] };
    return {
      tooltip: { trigger: "item" },
      series: [{
        type: "pie", radius: ["35%", "65%"],
        data: spec.categories.map(function (c, i) { return { name: c, value: first.values[i] }; }),
      }],
    };
  }

  function mapOption(spec, mapName) {
    var gj = echarts.getMap(mapName);
    gj = gj && (gj.geoJSON || gj.geoJson);
    var nameOf = {};
    (gj && gj.features || []).forEach(function (f) { nameOf[f.id] = f.properties.name; });
    var first = spec.series[0] || { values: [] };
    var data = [];
    var max = 0;
    spec.codes.forEach(function (code, i) {
      if (!nameOf[code]) return;
      var v = first.values[i];
      if (v > max) max = v;
      data.push({ name: nameOf[code], value: v, label: spec.categories[i], url: spec.links[i] || "" });
    });
    return {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var label = (p.data && p.data.label) || p.name;
          return label + "<br>" + first.name + "：" + (p.value == null || isNaN(p.value) ? "—" : p.value) + (spec.unit || "");
        },
      },
      visualMap: { min: 0, max: max || 1, left: 8, bottom: 8, calculable: true, inRange: { color: ["#e6f4ea", "#1e7b3c"] } },
      series: [{ type: "map", map: mapName, roam: false, data: data, emphasis: { label: { show: true } } }],
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    if (!spec.categories.length) {
      el.style.display = "none"; // nothing to draw: the table says so
      return;
    }
    load(el.dataset.echarts).then(function () {
      if (spec.kind !== "map") return render(el, spec, spec.kind === "pie" ? pie(spec) : cartesian(spec));
      return json(el.dataset.maps + "index.json").then(function (index) {
        var entry = index[spec.map];
        if (!entry) return render(el, spec, cartesian(spec)); // below county: bars
        return load(el.dataset.maps + entry.file).then(function () {
          render(el, spec, mapOption(spec, entry.name));
        });
      });
    }).catch(function (e) {
      el.style.display = "none"; // the table still shows the figures
      if (window.console) console.warn(e);
    });
  }

  function render(el, spec, option) {
    var chart = echarts.init(el);
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.data && p.data.url) return go(p.data.url);
      if (p.dataIndex != null && spec.kind !== "map") go(spec.links[p.dataIndex]);
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll(".chart-canvas").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
