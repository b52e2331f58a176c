// The briefing's interactive map: Leaflet over the districts as GeoJSON (no tile layer, so
// nothing is fetched), coloured by the indicator picked at the day of the slider, with each
// district's figures in a tooltip. Its data are the JSON in #briefing-data.
(function () {
  'use strict';
  var host = document.getElementById('leaflet-map');
  var source = document.getElementById('briefing-data');
  if (!host || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  if (!data.layers || data.layers.length === 0) return;

  // ColorBrewer YlOrRd, as the printed maps; zero has its own light grey.
  var RAMP = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
  var ZERO = '#f1f1f1';
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var start = new Date(data.start + 'T00:00:00Z');

  function dateText(day) {
    var d = new Date(start.getTime() + day * 86400000);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }
  function numberText(v) {
    if (v === null || v === undefined || isNaN(v)) return '\u2013';
    var decimals = Math.abs(v) >= 100 || v === Math.round(v) ? 0 : 1;
    return v.toLocaleString('en-GB', {minimumFractionDigits: decimals, maximumFractionDigits: decimals});
  }
  function round2(v) {
    if (v <= 0) return v;
    var p = Math.pow(10, Math.floor(Math.log10(v)) - 1);
    return Math.round(v / p) * p;
  }
  // Quantile breaks over every positive value of a layer, all days: colours keep their
  // meaning as the slider moves.
  function breaksOf(layer) {
    var all = [];
    layer.values.forEach(function (row) {
      row.forEach(function (v) { if (v > 0) all.push(v); });
    });
    if (all.length === 0) return [];
    all.sort(function (a, b) { return a - b; });
    var breaks = [];
    for (var k = 1; k < RAMP.length; ++k) {
      var b = round2(all[Math.floor(k * (all.length - 1) / RAMP.length)]);
      if (breaks.length === 0 || b > breaks[breaks.length - 1]) breaks.push(b);
    }
    return breaks;
  }
  data.layers.forEach(function (layer) { layer.breaks = breaksOf(layer); });

  var state = {layer: data.layers[0], day: 0};
  function valueAt(layer, district, day) {
    var row = layer.values[district];
    var i = Math.min(Math.floor(day / layer.step), row.length - 1);
    return row[i];
  }
  function colourOf(layer, v) {
    if (v === null || v === undefined) return '#d9d9d9';
    if (v <= 0) return ZERO;
    var k = 0;
    while (k < layer.breaks.length && v >= layer.breaks[k]) ++k;
    return RAMP[Math.min(k, RAMP.length - 1)];
  }

  var map = L.map(host, {attributionControl: false, zoomSnap: 0.25, minZoom: 6, maxZoom: 12});
  L.geoJSON(data.context, {
    interactive: false,
    style: function () { return {color: '#ffffff', weight: 0.8, fillColor: '#e4e4e4', fillOpacity: 1}; }
  }).addTo(map);
  var districts = L.geoJSON(data.districts, {
    style: styleOf,
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(function () { return tooltipOf(feature.properties); }, {sticky: true});
      layer.on('mouseover', function () { layer.setStyle({weight: 2.5, color: '#222'}); });
      layer.on('mouseout', function () { districts.resetStyle(layer); });
    }
  }).addTo(map);
  function styleOf(feature) {
    var v = valueAt(state.layer, feature.properties.i, state.day);
    return {color: '#ffffff', weight: feature.properties.study ? 1 : 0.6, fillOpacity: 0.92,
            fillColor: colourOf(state.layer, v)};
  }
  function tooltipOf(p) {
    var html = '<div class="tip-title">' + escapeHtml(p.name) + '</div><div>' + escapeHtml(p.province) +
               ' &middot; ' + dateText(state.day) + '</div><table>';
    data.layers.forEach(function (layer) {
      var v = valueAt(layer, p.i, state.day);
      var mark = layer === state.layer ? ' style="font-weight:bold"' : '';
      html += '<tr' + mark + '><td>' + escapeHtml(layer.label) + '</td><td class="num">' + numberText(v) + '</td></tr>';
    });
    html += '</table><table><tr><td colspan="2"><em>Over the run</em></td></tr>';
    data.indicators.forEach(function (ind, k) {
      var v = p.totals[k];
      if (v === null || v === 0) return;
      html += '<tr><td>' + escapeHtml(ind.label) + '</td><td class="num">' + numberText(v) + '</td></tr>';
    });
    return html + '</table>';
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }

  function square(colour) {
    return L.divIcon({className: '', iconSize: [12, 12], html:
      '<svg width="12" height="12" viewBox="0 0 12 12"><rect x="1" y="1" width="10" height="10" fill="' +
      colour + '" stroke="#fff" stroke-width="1.2"/></svg>'});
  }
  function triangle(formal) {
    return L.divIcon({className: '', iconSize: [12, 12], html:
      '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M6 1 L11 10.5 L1 10.5 Z" fill="' +
      (formal ? '#222' : '#fff') + '" stroke="#222" stroke-width="1.3"/></svg>'});
  }
  data.facilities.forEach(function (f) {
    L.marker([f.lat, f.lon], {icon: square('#1d4f91'), keyboard: false})
      .bindTooltip('<div class="tip-title">' + escapeHtml(f.name) + '</div>' + numberText(f.beds) +
                   ' beds; at most ' + numberText(f.peak) + ' occupied; ' + f.days_over + ' days full')
      .addTo(map);
  });
  data.entries.forEach(function (e) {
    L.marker([e.lat, e.lon], {icon: triangle(e.formal), keyboard: false})
      .bindTooltip('<div class="tip-title">' + escapeHtml(e.name) + '</div>' +
                   (e.formal ? 'Formal checkpoint' : 'Informal crossing') + '; ' +
                   numberText(e.arrivals) + ' arrivals')
      .addTo(map);
  });
  map.fitBounds(districts.getBounds(), {padding: [8, 8]});

  var picker = document.getElementById('layer-picker');
  var slider = document.getElementById('day-slider');
  var label = document.getElementById('day-label');
  var legend = document.getElementById('map-legend');
  data.layers.forEach(function (layer, k) {
    var option = document.createElement('option');
    option.value = String(k);
    option.textContent = layer.label;
    picker.appendChild(option);
  });
  slider.max = String(data.days - 1);

  function drawLegend() {
    var layer = state.layer;
    var html = '<strong>' + escapeHtml(layer.label) + '</strong> <span>(' + escapeHtml(layer.units) +
               (layer.step === 7 ? ', weekly' : ', daily') + ')</span>';
    html += '<span><span class="swatch" style="background:' + ZERO + '"></span>0</span>';
    var lo = 0;
    for (var k = 0; k <= layer.breaks.length; ++k) {
      var hi = k < layer.breaks.length ? layer.breaks[k] : null;
      var text = hi === null ? numberText(lo) + ' and more' : numberText(lo) + ' \u2013 ' + numberText(hi);
      html += '<span><span class="swatch" style="background:' + RAMP[Math.min(k, RAMP.length - 1)] +
              '"></span>' + text + '</span>';
      lo = hi;
    }
    legend.innerHTML = html;
  }
  function update() {
    state.layer = data.layers[Number(picker.value)];
    state.day = Number(slider.value);
    var text = dateText(state.day) + ' (day ' + (state.day + 1) + ')';
    if (state.layer.step === 7) text = 'week ' + (Math.floor(state.day / 7) + 1) + ', ' + text;
    label.textContent = text;
    districts.setStyle(styleOf);
    drawLegend();
  }
  picker.addEventListener('change', update);
  slider.addEventListener('input', update);
  // Open on the busiest day of the first indicator.
  var best = 0, bestSum = -1;
  for (var t = 0; t < data.days; ++t) {
    var sum = 0;
    for (var i = 0; i < state.layer.values.length; ++i) sum += valueAt(state.layer, i, t) || 0;
    if (sum > bestSum) { bestSum = sum; best = t; }
  }
  slider.value = String(best);
  update();
  window.rfsimBriefingMap = {map: map, districts: districts, update: update};
})();
