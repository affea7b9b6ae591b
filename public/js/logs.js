// The log viewer: level colours come from the server's classes; this adds the text filter,
// follow mode over Server-Sent Events, and the error count. Lines are inserted as text, never
// as HTML, so a hostile log line stays a line of text.
(() => {
  const list = document.getElementById('log-lines');
  if (!list) return;
  const MAX_LINES = 5000;
  const filter = document.getElementById('log-filter');
  const follow = document.getElementById('log-follow');
  const select = document.getElementById('log-select');
  const problem = document.getElementById('log-problem');
  const status = document.getElementById('log-status');
  const errorsChip = document.getElementById('log-errors');
  const errorsNumber = document.getElementById('log-error-number');
  let source = null;

  const isError = (li) =>
    li.classList.contains('log-error') || li.classList.contains('log-critical');
  const matches = (li) => {
    const text = (filter?.value || '').toLowerCase();
    return !text || li.textContent.toLowerCase().includes(text);
  };
  function recount() {
    const errors = [...list.children].filter(isError).length;
    errorsNumber.textContent = String(errors);
    errorsChip.hidden = errors === 0;
  }
  function lineItem(line) {
    const li = document.createElement('li');
    li.className = `log-${(line.level || 'none').toLowerCase()}${line.cut ? ' is-cut' : ''}`;
    li.textContent = line.text;
    li.hidden = !matches(li);
    return li;
  }
  function append(lines) {
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    for (const line of lines) list.appendChild(lineItem(line));
    while (list.children.length > MAX_LINES) list.firstElementChild.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
    recount();
  }
  function showProblem(message) {
    problem.textContent = message || '';
    problem.hidden = !message;
  }
  function start() {
    if (source || !window.EventSource) return;
    source = new EventSource(list.dataset.streamUrl);
    const on = (name, fn) =>
      source.addEventListener(name, (event) => {
        try {
          fn(JSON.parse(event.data));
        } catch (error) {
          console.warn('tradewatch: bad log message', error);
        }
      });
    on('lines', (data) => {
      showProblem(null);
      append(data.lines);
    });
    on('reset', (data) => {
      list.replaceChildren();
      showProblem(null);
      append(data.lines);
      status.textContent = `${data.reason}: showing the new file`;
    });
    on('problem', (data) => showProblem(data.message));
    source.addEventListener('open', () => {
      status.textContent = 'following';
    });
  }
  function stop() {
    source?.close();
    source = null;
    status.textContent = 'paused';
  }

  filter?.addEventListener('input', () => {
    for (const li of list.children) li.hidden = !matches(li);
  });
  follow?.addEventListener('change', () => (follow.checked ? start() : stop()));
  select?.addEventListener('change', () => select.form.submit());
  list.scrollTop = list.scrollHeight;
  recount();
  if (follow?.checked) start();
})();
