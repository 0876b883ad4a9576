/**
 * Browser script of the log views: `<pre class="logs" data-src="/console/api/logs/…" data-after="N">`
 * polls its JSON route, appends new lines without a reload (kept scrolled to the end when it was there),
 * updates `[data-live=state]` / `[data-live=duration]`, and stops once the resource ended and no line is
 * left to read.
 */
export const LOGS_JS = `'use strict';
(() => {
  const text = (tag, cls, value) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  };
  for (const view of document.querySelectorAll('pre.logs[data-src]')) {
    let after = Number(view.dataset.after || 0);
    const empty = view.querySelector('.none');
    const tick = async () => {
      let body;
      try {
        const res = await fetch(view.dataset.src + (view.dataset.src.includes('?') ? '&' : '?') + 'after=' + after);
        if (!res.ok) throw new Error('HTTP ' + res.status + ': ' + (await res.text()));
        body = await res.json();
      } catch (err) {
        view.dataset.error = String(err.message || err);
        setTimeout(tick, 3000);
        return;
      }
      const atEnd = view.scrollTop + view.clientHeight >= view.scrollHeight - 8;
      if (body.entries.length && empty) empty.remove();
      for (const e of body.entries) {
        const line = text('span', 'line ' + e.severity, '');
        line.append(text('span', 't', e.time + ' '), text('span', 'task', '[' + e.task + '] '), e.text);
        view.append(line);
      }
      after = body.next;
      view.dataset.after = String(after);
      if (atEnd) view.scrollTop = view.scrollHeight;
      if (body.state) {
        for (const el of document.querySelectorAll('[data-live=state]')) {
          el.textContent = body.state.label;
          el.className = 'state ' + body.state.tone;
        }
        for (const el of document.querySelectorAll('[data-live=duration]')) el.textContent = body.state.duration;
      }
      if (body.terminal && !body.entries.length) {
        view.dataset.done = 'true';
        return;
      }
      setTimeout(tick, 600);
    };
    tick();
  }
})();
`;
