/** Browser script: reloads a page marked `data-refresh="<seconds>"` (lists and studies while work runs). */
export const LIVE_JS = `'use strict';
(() => {
  const el = document.querySelector('[data-refresh]');
  if (el) setTimeout(() => location.reload(), Number(el.dataset.refresh) * 1000);
})();
`;
