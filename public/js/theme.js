// Applies the saved theme before the page paints (dark unless the trader chose light).
(() => {
  try {
    const saved = localStorage.getItem('tradewatch-theme');
    if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
  } catch {
    // Storage can be disabled; the default theme applies.
  }
})();
