// The bid form's read-out items (tenders/readout.py): each value checked against its item's type
// before anything is sealed, every problem shown at once beside its field and in an error summary
// (GOV.UK pattern), in the page's language; and the price in capitals (人民币大写) as it is typed.

const zh = () => document.documentElement.lang.startsWith("zh");

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const GROUP_UNITS = ["", "万", "亿", "万亿"];

function group(value) {
  let out = "";
  let zero = false;
  for (const [place, unit] of [[1000, "仟"], [100, "佰"], [10, "拾"], [1, ""]]) {
    const digit = Math.floor(value / place) % 10;
    if (digit === 0) {
      zero = out !== "";
      continue;
    }
    if (zero) out += "零";
    zero = false;
    out += DIGITS[digit] + unit;
  }
  return out;
}

/** "486000.00" → "人民币肆拾捌万陆仟元整", as config/money.py writes it (same rules, same tests'
 * examples); "" for what is not an amount with two decimals. */
export function amountInWords(text) {
  const match = /^(0|[1-9][0-9]{0,12})\.([0-9])([0-9])$/.exec(text);
  if (!match) return "";
  let yuan = BigInt(match[1]);
  const jiao = Number(match[2]);
  const fen = Number(match[3]);
  const groups = [];
  while (yuan > 0n) {
    groups.push(Number(yuan % 10000n));
    yuan /= 10000n;
  }
  let words = "";
  let gap = false;
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const g = groups[index];
    if (g === 0) {
      gap = words !== "";
      continue;
    }
    if (words && (gap || g < 1000)) words += "零";
    words += group(g) + GROUP_UNITS[index];
    gap = g % 10 === 0;
  }
  const hasYuan = groups.length > 0;
  if (hasYuan) words += "元";
  if (!jiao && !fen) return `人民币${words || "零元"}整`;
  if (jiao) words += DIGITS[jiao] + "角";
  else if (hasYuan) words += "零";
  if (fen) words += DIGITS[fen] + "分";
  return `人民币${words}`;
}

function label(item) {
  return zh() ? item.label : item.label_en || item.label;
}

function problemOf(item, value) {
  const name = label(item);
  const ok = new RegExp(item.pattern).test(value) && (item.type !== "choice" || Number(value) <= item.choices.length);
  if (ok) return null;
  return {
    amount: zh() ? `请以两位小数、不带分隔符的金额填写${name}，例如 1284500.00。` : `Enter ${name} as an amount with two decimals and no separators, e.g. 1284500.00.`,
    integer: zh() ? `请以整数填写${name}，例如 12。` : `Enter ${name} as a whole number, e.g. 12.`,
    days: zh() ? `请以整数天数填写${name}，例如 30。` : `Enter ${name} as a whole number of days, e.g. 30.`,
    choice: zh() ? `请从列表中选择${name}。` : `Choose ${name} from the list.`,
  }[item.type] ?? (zh() ? `请用字母和数字填写${name}（最多 32 个）。` : `Enter ${name} in letters and digits (at most 32).`);
}

function fieldError(input, message) {
  const group = input.closest(".govuk-form-group");
  const id = `${input.id}-error`;
  group.querySelector(`#${id}`)?.remove();
  group.classList.toggle("govuk-form-group--error", Boolean(message));
  input.classList.toggle("govuk-input--error", Boolean(message) && input.tagName === "INPUT");
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
  if (message) {
    const p = document.createElement("p");
    p.className = "govuk-error-message";
    p.id = id;
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = zh() ? "错误：" : "Error: ";
    p.append(hidden, message);
    // Above the input (GOV.UK), outside the wrapper that lays the input and its unit out in a row.
    (input.closest(".govuk-input__wrapper") ?? input).before(p);
    described.push(id);
  }
  if (described.length) input.setAttribute("aria-describedby", described.join(" "));
  else input.removeAttribute("aria-describedby");
}

function summaryShow(form, problems) {
  let summary = document.getElementById("bid-error-summary");
  if (!problems.length) {
    summary?.remove();
    return;
  }
  if (!summary) {
    summary = document.createElement("div");
    summary.id = "bid-error-summary";
    summary.className = "govuk-error-summary";
    summary.tabIndex = -1;
    summary.setAttribute("role", "alert");
    form.before(summary);
  }
  const title = document.createElement("h2");
  title.className = "govuk-error-summary__title";
  title.textContent = zh() ? "投标尚未加密：请更正以下问题" : "Nothing was sealed: correct these problems";
  const list = document.createElement("ul");
  list.className = "govuk-list govuk-error-summary__list";
  for (const { input, message } of problems) {
    const link = document.createElement("a");
    link.href = `#${input.id}`;
    link.textContent = message;
    const li = document.createElement("li");
    li.append(link);
    list.append(li);
  }
  const body = document.createElement("div");
  body.className = "govuk-error-summary__body";
  body.append(list);
  summary.replaceChildren(title, body);
  summary.focus();
}

/** The read-out the bid seals ({name: value}), or null after showing every problem at once. */
export function readoutFromForm(form, items) {
  const byName = Object.fromEntries(items.map((item) => [item.name, item]));
  const readout = { currency: "CNY" };
  const problems = [];
  for (const input of form.querySelectorAll("[data-readout]")) {
    const item = byName[input.dataset.readout];
    const value = input.value.trim();
    const message = item ? problemOf(item, value) : null;
    fieldError(input, message);
    if (message) problems.push({ input, message });
    readout[input.dataset.readout] = value;
  }
  summaryShow(form, problems);
  return problems.length ? null : readout;
}

/** The price's capitals under the price field, as it is typed. */
export function priceWordsFollow() {
  const input = document.querySelector("[data-readout=price]");
  const out = document.getElementById("bid-price-words");
  if (!input || !out) return;
  const show = () => {
    const words = amountInWords(input.value.trim());
    out.textContent = words ? (zh() ? `大写：${words}` : `In capitals: ${words}`) : "";
  };
  input.addEventListener("input", show);
  show();
}
