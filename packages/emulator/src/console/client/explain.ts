/**
 * Browser script of the explanation form: builds one instance (JSON, or an image as base64 content or as
 * a tensor), posts it to `/console/api/explain`, and shows the attributions — a heatmap drawn in a canvas
 * over the image for image inputs, bars for tabular features.
 */
export const EXPLAIN_JS = `'use strict';
(() => {
  const el = (tag, props, ...children) => {
    const e = Object.assign(document.createElement(tag), props || {});
    e.append(...children);
    return e;
  };
  const isNums = (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
  // A 2-D (H×W) or 3-D (C×H×W, or H×W×C with C ≤ 4) array as { width, height, planes } (planes: C × H × W).
  const planesOf = (a) => {
    if (!Array.isArray(a) || !Array.isArray(a[0])) return undefined;
    if (isNums(a[0])) return a.every(isNums) ? [a] : undefined;
    if (!Array.isArray(a[0][0])) return undefined;
    const channelsLast = a[0][0].length <= 4 && a.length > 4;
    return channelsLast ? a[0][0].map((_, c) => a.map((row) => row.map((px) => px[c]))) : a;
  };
  const mapOf = (value) => {
    const arr = value && !Array.isArray(value) && typeof value === 'object' ? value.attributions : value;
    const planes = planesOf(arr);
    if (!planes) return undefined;
    const height = planes[0].length, width = planes[0][0].length;
    const values = new Float32Array(width * height);
    for (const p of planes) p.forEach((row, y) => row.forEach((v, x) => { values[y * width + x] += Number(v) || 0; }));
    return { width, height, values };
  };
  const imageKeyOf = (features) =>
    Object.keys(features).find((k) => {
      const v = features[k];
      return (v && typeof v === 'object' && !Array.isArray(v) && ('b64_jpeg' in v || 'attributions' in v)) || mapOf(v);
    });
  const loadImage = (file) => new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(file.name + ' is not an image the browser can read'));
    img.src = URL.createObjectURL(file);
  });
  const base64Of = (file) => new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(',')[1]);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
  const tensorOf = (img, size, rgb) => {
    const c = el('canvas', { width: size, height: size });
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0, size, size);
    const px = ctx.getImageData(0, 0, size, size).data;
    const plane = (f) => Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => Number((f(4 * (y * size + x)) / 255).toFixed(4))));
    return rgb ? [0, 1, 2].map((ch) => plane((o) => px[o + ch])) : [plane((o) => 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2])];
  };
  // The explained image as a canvas: the uploaded file, or the instance's own pixels (a tensor in [0, 1]).
  const baseCanvas = (img, tensor) => {
    if (img) {
      const c = el('canvas', { width: img.naturalWidth, height: img.naturalHeight });
      c.getContext('2d').drawImage(img, 0, 0);
      return c;
    }
    const planes = planesOf(tensor);
    if (!planes) return undefined;
    const h = planes[0].length, w = planes[0][0].length;
    const c = el('canvas', { width: w, height: h });
    const ctx = c.getContext('2d');
    const data = ctx.createImageData(w, h);
    const flat = planes.flat(2).map(Number);
    const hi = flat.reduce((a, b) => Math.max(a, b), 1);
    for (let i = 0; i < w * h; i++) {
      const at = (ch) => Math.round((255 * planes[Math.min(ch, planes.length - 1)][Math.floor(i / w)][i % w]) / hi);
      data.data.set([at(0), at(1), at(2), 255], 4 * i);
    }
    ctx.putImageData(data, 0, 0);
    return c;
  };
  const heatmap = (map) => {
    const c = el('canvas', { width: map.width, height: map.height });
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(map.width, map.height);
    const sorted = Array.from(map.values, Math.abs).sort((a, b) => a - b);
    const hi = sorted[Math.floor(0.995 * (sorted.length - 1))] || sorted[sorted.length - 1] || 1;
    map.values.forEach((v, i) => {
      const t = Math.min(1, Math.abs(v) / hi);
      img.data.set(v >= 0 ? [0, 200, 90, Math.round(230 * t)] : [230, 40, 140, Math.round(230 * t)], 4 * i);
    });
    ctx.putImageData(img, 0, 0);
    return { canvas: c, max: hi };
  };
  const imageView = (value, map, base) => {
    if (!map && value && value.b64_jpeg) return el('img', { src: 'data:image/jpeg;base64,' + value.b64_jpeg, alt: 'attributions' });
    const w = base ? base.width : map.width, h = base ? base.height : map.height;
    const scale = Math.max(1, Math.floor(256 / Math.max(w, h)));
    const out = el('canvas', { width: w * scale, height: h * scale, className: 'attribution-overlay' });
    const ctx = out.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    if (base) ctx.drawImage(base, 0, 0, out.width, out.height);
    const hm = heatmap(map);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(hm.canvas, 0, 0, out.width, out.height);
    out.dataset.mapWidth = String(map.width);
    out.dataset.mapHeight = String(map.height);
    out.dataset.max = String(hm.max);
    return el('div', { className: 'overlay' }, out, el('p', { className: 'muted', textContent: 'green: evidence for the output, magenta: against; opacity ∝ |attribution| (clipped at the 99.5th percentile of ' + hm.max.toPrecision(3) + ')' }));
  };
  const bars = (features) => {
    const rows = [];
    for (const [k, v] of Object.entries(features)) {
      if (typeof v === 'number') rows.push([k, v]);
      else if (isNums(v)) v.forEach((x, i) => rows.push([k + '[' + i + ']', x]));
    }
    rows.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
    const hi = rows.reduce((a, r) => Math.max(a, Math.abs(r[1])), 1e-12);
    return el('div', { className: 'bars' }, ...rows.flatMap(([k, v]) => [
      el('span', { className: 'feature', textContent: k }),
      el('div', { className: 'bar ' + (v >= 0 ? 'pos' : 'neg'), style: 'width: ' + ((100 * Math.abs(v)) / hi).toFixed(1) + '%' }),
      el('span', { className: 'value', textContent: v.toPrecision(4) }),
    ]));
  };
  const show = (box, res, img, instance) => {
    box.replaceChildren();
    const prediction = JSON.stringify(res.predictions && res.predictions[0]);
    box.append(el('p', {}, 'Deployed model ' + res.deployedModelId + ' predicted ', el('code', { textContent: (prediction || '').slice(0, 300) })));
    const attributions = (res.explanations && res.explanations[0] && res.explanations[0].attributions) || [];
    for (const a of attributions) {
      const label = a.outputDisplayName || (a.outputIndex && a.outputIndex.length ? 'output ' + a.outputIndex.join(',') : 'output');
      const features = a.featureAttributions || {};
      const key = imageKeyOf(features);
      const section = el('section', { className: 'attribution' },
        el('h3', { textContent: label }),
        el('p', { className: 'muted', textContent: 'instance output ' + Number(a.instanceOutputValue).toPrecision(4) + ', baseline ' + Number(a.baselineOutputValue).toPrecision(4) + ', approximation error ' + Number(a.approximationError || 0).toPrecision(3) }));
      if (key) {
        const tensor = instance && typeof instance === 'object' && !Array.isArray(instance) ? instance[key] : instance;
        section.append(imageView(features[key], mapOf(features[key]), baseCanvas(img, tensor)));
      } else section.append(bars(features));
      box.append(section);
    }
    box.dataset.done = 'true';
  };
  for (const form of document.querySelectorAll('form.explain')) {
    const box = form.querySelector('.result');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      box.dataset.done = '';
      box.textContent = 'Explaining…';
      const f = new FormData(form);
      let instance, img;
      try {
        if (f.get('source') === 'image') {
          const file = f.get('image');
          if (!file || !file.size) throw new Error('Choose an image file first.');
          img = await loadImage(file);
          const enc = f.get('encoding');
          instance = enc === 'content' ? { content: await base64Of(file) } : tensorOf(img, Math.max(1, Number(f.get('size')) || 32), enc === 'tensor-rgb');
        } else {
          try { instance = JSON.parse(String(f.get('json'))); } catch (err) { throw new Error('The instance is not valid JSON: ' + err.message); }
        }
        const res = await fetch('/console/api/explain', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ endpoint: form.dataset.endpoint, deployedModelId: f.get('deployedModelId'), instances: [instance] }),
        });
        const body = await res.json();
        if (!res.ok) throw new Error(body.error || 'HTTP ' + res.status);
        show(box, body, img, instance);
      } catch (err) {
        box.replaceChildren(el('div', { className: 'problem', role: 'alert', textContent: String(err.message || err) }));
        box.dataset.done = 'error';
      }
    });
  }
})();
`;
