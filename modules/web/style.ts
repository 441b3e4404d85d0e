// The page's one stylesheet, served as /style.css (cached by the browser, so a page that refreshes itself costs only
// its HTML). Hand-written and small: it lives in flash with the firmware. Pure data.

export const stylesheet =
  ":root{--ink:#1b1f24;--dim:#5d6673;--line:#dfe3ea;--bg:#f1f3f6;--blue:#1f5fa8;--green:#2a7a3b;--red:#b3261e;--amber:#9a5b00}" +
  "*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--ink)}a{color:var(--blue)}" +
  "header{background:#1e2835;color:#fff}.top,nav,main,footer{max-width:64em;margin:0 auto;padding:0 14px}" +
  ".top{display:flex;align-items:center;gap:10px;padding-top:12px}.top b{font-size:1.3em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}" +
  "nav{display:flex;margin-top:10px}nav a{color:#c5d0dd;text-decoration:none;padding:8px 16px;border-radius:7px 7px 0 0}" +
  "nav a.on{background:var(--bg);color:var(--ink);font-weight:600}main{padding-top:14px}" +
  "section,.tiles div,.card{background:#fff;border:1px solid var(--line);border-radius:9px;margin:0 0 14px;min-width:0}" +
  "section{padding:12px 16px;overflow-x:auto}.tiles div,.card{padding:10px 14px;margin:0}" +
  "h2,small,th{font-size:.75em;font-weight:600;text-transform:uppercase;letter-spacing:.06em;color:var(--dim);margin:0 0 8px}" +
  ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(11em,1fr));gap:12px;margin-bottom:14px}" +
  ".tiles small{display:block;margin:0}.tiles b{display:block;font-size:1.35em;margin:2px 0}.tiles span,.hint,.card p{font-size:.85em;color:var(--dim)}" +
  "table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}" +
  "th{text-transform:none;letter-spacing:0}tr:last-child td{border:0}.n{text-align:right;white-space:nowrap}#services{width:auto;min-width:50%}" +
  ".b{display:inline-block;padding:1px 10px;border-radius:20px;font-size:.8em;font-weight:600;color:#fff;background:var(--dim)}" +
  ".ok{background:var(--green)}.run{background:var(--blue)}.bad{background:var(--red)}.warn{background:var(--amber)}" +
  ".tiles b{background:none}.tiles .ok{color:var(--green)}.tiles .run{color:var(--blue)}.tiles .bad{color:var(--red)}.none{color:var(--dim);margin:0}" +
  ".note{padding:10px 14px;border-radius:9px;margin:0 0 14px;background:#e4f1e6;color:var(--green)}.note.error{background:#fbe5e3;color:var(--red)}" +
  "button{font:inherit;padding:7px 18px;border:0;border-radius:7px;background:var(--blue);color:#fff;cursor:pointer}" +
  "td button{padding:2px 10px;font-size:.85em;background:#fff;color:var(--red);border:1px solid}" +
  "fieldset{border:0;border-top:1px solid var(--line);padding:8px 0 4px;margin:0}fieldset:first-child{border:0;padding-top:0}legend{font-weight:600;padding:0 8px 0 0}" +
  "label{display:grid;grid-template-columns:minmax(10em,18em) 1fr;gap:4px 12px;align-items:center;margin:6px 0}" +
  "input,select{font:inherit;padding:6px 9px;border:1px solid #c4cbd5;border-radius:6px;width:100%;max-width:24em;background:#fff}" +
  "footer{font-size:.8em;color:var(--dim);max-width:80em;padding-bottom:20px}" +
  ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(14em,1fr));gap:14px}.card{padding:10px}.card p{margin:6px 0 0}" +
  ".card .j{border-left:3px solid var(--amber);padding-left:7px;color:var(--ink)}" +
  ".thumb{display:block;height:18em;overflow:hidden;border:1px solid var(--line);background:#fff}.thumb img{width:100%}" +
  ".thumb iframe{border:0;width:660px;height:1100px;transform:scale(.3);transform-origin:0 0;pointer-events:none}" +
  ".bin{display:flex;align-items:center;justify-content:center;text-align:center;padding:1em;color:var(--dim);" +
  "background:repeating-linear-gradient(45deg,#f7f8fa 0 9px,#eef0f4 9px 18px)}" +
  "@media(max-width:40em){.w{display:none}label{grid-template-columns:1fr}nav a{padding:8px 12px}" +
  ".top,nav,main,footer{padding-left:10px;padding-right:10px}section{padding:10px 12px}th,td{padding:5px 4px}" +
  ".cards{grid-template-columns:1fr 1fr;gap:10px}.thumb{height:13em}.thumb iframe{transform:scale(.22)}}";
