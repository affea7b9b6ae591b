// Sorting and filtering of trade tables, in the browser: click a column header to sort (again
// to reverse); on /live, filter by symbol text, side and exit reason. Live updates replace the
// table's HTML, so the chosen order and filter are kept here and applied again after each swap.
(() => {
  const sorts = new Map(); // panel id -> { column, descending }

  const cellValue = (row, column, kind) => {
    const cell = row.children[column];
    if (!cell) return '';
    if (kind === 'text') return cell.textContent.trim().toLowerCase();
    const raw = cell.dataset.value ?? cell.textContent.replace(/[,\s▲▼]/g, '').replace('−', '-');
    const n = Number.parseFloat(raw);
    return Number.isFinite(n) ? n : Number.NEGATIVE_INFINITY;
  };

  function applySort(table) {
    const key = table.closest('[data-panel]')?.id ?? '';
    const sort = sorts.get(key);
    const headers = [...table.tHead.rows[0].cells];
    headers.forEach((th, i) => {
      if (th.dataset.sort)
        th.setAttribute(
          'aria-sort',
          sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : 'none',
        );
    });
    if (!sort) return;
    const kind = headers[sort.column]?.dataset.sort;
    const body = table.tBodies[0];
    const rows = [...body.rows];
    rows.sort((a, b) => {
      const x = cellValue(a, sort.column, kind);
      const y = cellValue(b, sort.column, kind);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.descending ? -order : order;
    });
    body.append(...rows);
  }

  function applyFilter(table) {
    const tools = document.querySelector(
      `.table-tools[data-for="${table.closest('[data-panel]')?.id}"]`,
    );
    if (!tools) return;
    const text = tools.querySelector('[name="symbol"]').value.trim().toLowerCase();
    const side = tools.querySelector('[name="side"]').value;
    const reason = tools.querySelector('[name="reason"]').value;
    let shown = 0;
    const rows = [...table.tBodies[0].rows];
    for (const row of rows) {
      const keep =
        (!text || row.dataset.symbol.toLowerCase().includes(text)) &&
        (!side || row.dataset.side === side) &&
        (!reason || row.dataset.reason === reason);
      row.hidden = !keep;
      if (keep) shown++;
    }
    const reasons = [...new Set(rows.map((r) => r.dataset.reason))].sort();
    const select = tools.querySelector('[name="reason"]');
    const known = [...select.options].slice(1).map((o) => o.value);
    if (reasons.join('\n') !== known.join('\n')) {
      select.replaceChildren(select.options[0]);
      for (const r of reasons) select.append(new Option(r, r, false, r === reason));
    }
    tools.querySelector('.table-count').textContent = `${shown} of ${rows.length}`;
  }

  function enhance(root) {
    for (const table of root.querySelectorAll('table[data-sortable]')) {
      for (const [i, th] of [...table.tHead.rows[0].cells].entries()) {
        if (!th.dataset.sort || th.querySelector('button')) continue;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort';
        button.append(...th.childNodes);
        th.append(button);
        button.addEventListener('click', () => {
          const key = table.closest('[data-panel]')?.id ?? '';
          const current = sorts.get(key);
          sorts.set(key, {
            column: i,
            descending: current?.column === i ? !current.descending : kind(th) !== 'text',
          });
          applySort(table);
        });
      }
      applySort(table);
      applyFilter(table);
    }
  }
  const kind = (th) => th.dataset.sort;

  for (const tools of document.querySelectorAll('.table-tools')) {
    tools.hidden = false;
    tools.addEventListener('input', () => {
      const table = document.getElementById(tools.dataset.for)?.querySelector('table');
      if (table) applyFilter(table);
    });
    tools.addEventListener('submit', (event) => event.preventDefault());
  }
  enhance(document);
  document.body.addEventListener('htmx:afterSwap', (event) => {
    // A panel swapped to empty has no table to count: its old "12 of 12" must not stay.
    for (const tools of document.querySelectorAll('.table-tools')) {
      if (!document.getElementById(tools.dataset.for)?.querySelector('table'))
        tools.querySelector('.table-count').textContent = '';
    }
    enhance(event.target);
  });
})();
