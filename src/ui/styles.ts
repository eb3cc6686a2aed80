// The single stylesheet for every server-rendered page, served at /assets/glossia-mock.css.
// No @import, no web fonts, no external URLs: the pages must work fully offline under a strict CSP.

export const stylesheet = `*,*::before,*::after{box-sizing:border-box}
:root{--accent:#4f46e5;--accent-dark:#4338ca;--accent-soft:#eef2ff;--text:#111827;--muted:#4b5563;--border:#e5e7eb;--bg:#f4f5f7;--card:#fff;--radius:12px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;font-size:16px;line-height:1.5;color:var(--text);background:var(--bg);color-scheme:light}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;background:radial-gradient(ellipse at top,#e0e7ff 0,var(--bg) 55%) no-repeat,var(--bg)}
a{color:var(--accent);text-underline-offset:2px}
a:hover{color:var(--accent-dark)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.875em;background:#f3f4f6;border:1px solid var(--border);border-radius:4px;padding:.05em .35em;overflow-wrap:anywhere}
h1,h2{line-height:1.25;margin:0 0 .5rem}
h1{font-size:1.5rem;font-weight:700;letter-spacing:-.01em}
h2{font-size:1rem;font-weight:600}
p{margin:0 0 1rem}
.site-header{display:flex;align-items:center;gap:.625rem;padding:1.25rem 1.5rem}
.brand{display:inline-flex;align-items:center;gap:.5rem;color:var(--text);text-decoration:none;font-weight:700;font-size:1.125rem;letter-spacing:-.01em}
.brand:hover{color:var(--text)}
.brand svg{width:28px;height:28px;flex:none}
.badge{display:inline-block;font-size:.6875rem;font-weight:700;text-transform:uppercase;letter-spacing:.06em;color:#92400e;background:#fef3c7;border:1px solid #fcd34d;border-radius:999px;padding:.1rem .5rem}
.main{flex:1;width:100%;max-width:60rem;margin:0 auto;padding:1rem 1.25rem 2rem}
.main.narrow{max-width:28rem;padding-top:2.5rem}
.main.wide{max-width:74rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:var(--radius);box-shadow:0 1px 2px rgba(17,24,39,.04),0 8px 24px rgba(17,24,39,.06);padding:2rem;margin-bottom:1.25rem}
.site-footer{text-align:center;font-size:.8125rem;color:var(--muted);padding:1.5rem}
.site-footer p{margin:0}
.subtitle{color:var(--muted)}
.subtitle+.subtitle{margin-top:-.75rem}
.muted{color:var(--muted)}
.small{font-size:.875rem}
.notice,.alert{border-radius:8px;padding:.75rem 1rem;font-size:.875rem;margin:0 0 1.25rem;border:1px solid}
.notice{color:#92400e;background:#fffbeb;border-color:#fde68a}
.alert{color:#991b1b;background:#fef2f2;border-color:#fecaca}
.alert p:last-child,.notice p:last-child{margin-bottom:0}
fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
legend{font-weight:600;font-size:.875rem;padding:0;margin-bottom:.5rem}
.choices{display:grid;gap:.5rem}
.choice{position:relative}
.choice input{position:absolute;right:1rem;top:50%;width:1.125rem;height:1.125rem;margin:-.5625rem 0 0;accent-color:var(--accent);cursor:pointer}
.choice label{display:flex;align-items:center;gap:.75rem;padding:.75rem 3rem .75rem .75rem;border:1px solid var(--border);border-radius:10px;cursor:pointer;background:#fff;transition:border-color .15s,background-color .15s}
.choice label:hover{border-color:#c7d2fe;background:#fafaff}
.choice input:checked+label{border-color:var(--accent);background:var(--accent-soft);box-shadow:0 0 0 1px var(--accent)}
.choice input:focus-visible+label{outline:3px solid var(--accent);outline-offset:2px}
.choice-text{display:flex;flex-direction:column;min-width:0}
.choice-name{font-weight:600}
.choice-meta{font-size:.8125rem;color:var(--muted);overflow-wrap:anywhere}
.avatar{flex:none;display:inline-flex;align-items:center;justify-content:center;width:2.5rem;height:2.5rem;border-radius:999px;font-weight:600;font-size:.875rem;color:#fff;background:var(--accent)}
.avatar-1{background:#0f766e}.avatar-2{background:#b45309}.avatar-3{background:#be185d}.avatar-4{background:#1d4ed8}.avatar-5{background:#6d28d9}.avatar-6{background:#374151}
.avatar.app{border-radius:10px}
button,.btn{text-decoration:none;font:inherit;font-weight:600;font-size:.9375rem;display:inline-flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;transition:background-color .15s}
button:hover,.btn:hover{color:#fff;background:var(--accent-dark);border-color:var(--accent-dark)}
button:disabled{opacity:.55;cursor:not-allowed}
button.secondary,.btn.secondary{background:#fff;color:var(--text);border-color:#d1d5db}
button.secondary:hover,.btn.secondary:hover{color:var(--text);background:#f9fafb}
.actions{display:grid;gap:.5rem}
.actions button{width:100%}
.connect{display:flex;align-items:center;justify-content:center;gap:.75rem;margin-bottom:1.25rem}
.connect .dots{color:#9ca3af;letter-spacing:.2em;font-weight:700}
.connect svg{width:2.5rem;height:2.5rem}
.center{text-align:center}
.account{display:flex;align-items:center;gap:.75rem;padding:.75rem;border:1px solid var(--border);border-radius:10px;margin-bottom:1.25rem;font-size:.875rem}
.account p{margin:0}
.scopes{list-style:none;margin:0 0 1.25rem;padding:0;border:1px solid var(--border);border-radius:10px}
.scopes li{padding:.75rem 1rem}
.scopes li+li{border-top:1px solid var(--border)}
.scope-desc{display:block;font-size:.875rem;color:var(--muted);margin-top:.125rem}
.fineprint{font-size:.8125rem;color:var(--muted);text-align:center;margin:1rem 0 0}
.grid{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1rem}
dt{font-weight:600;font-size:.875rem}
dd{margin:0;min-width:0}
.links{margin:0;padding-left:1.25rem}
.links li+li{margin-top:.25rem}
.table-wrap{overflow-x:auto}
.table-wrap code{overflow-wrap:normal;white-space:nowrap}
table{width:100%;border-collapse:collapse;font-size:.875rem}
caption{text-align:left;font-weight:600;font-size:1rem;padding-bottom:.75rem}
th,td{text-align:left;vertical-align:top;padding:.625rem .75rem;border-bottom:1px solid var(--border)}
thead th{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:#f9fafb}
tbody tr:last-child>*{border-bottom:0}
td ul{list-style:none;margin:0;padding:0}
.pill{display:inline-block;font-size:.75rem;font-weight:600;border-radius:999px;padding:.1rem .5rem;background:#f3f4f6;color:#374151}
.pill.public{background:#ecfdf5;color:#065f46}
.session,.head{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem}
.session p,.session form,.head h2,.head form{margin:0}
.account-inline{display:flex;align-items:center;gap:.75rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.notice.ok{color:#065f46;background:#ecfdf5;border-color:#a7f3d0}
.pill.warn{background:#fef3c7;color:#92400e}.pill.bad{background:#fee2e2;color:#991b1b}
.toc{display:flex;flex-wrap:wrap;gap:0 1.25rem;list-style:none;margin:1.25rem 0 0;padding:1rem 0 0;border-top:1px solid var(--border)}
.head{margin-bottom:.75rem}
.fields{display:grid;gap:.75rem 1rem;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr))}
.field label,.field legend{display:block;font-size:.8125rem;font-weight:600;margin-bottom:.25rem}
.field input:not([type=radio],[type=checkbox]),.field select,.field textarea{font:inherit;font-size:.9375rem;width:100%;min-height:2.5rem;padding:.375rem .625rem;border:1px solid #d1d5db;border-radius:8px;background:#fff;color:inherit}
.field input.count{width:6rem}
.check{display:flex;align-items:center;gap:.5rem;margin-bottom:.5rem;accent-color:var(--accent)}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-bottom:.75rem}
.compact{font-size:.8125rem}.compact th,.compact td{padding:.5rem .375rem}tr:target>*{background:var(--accent-soft)}
button.small{min-height:2.25rem;padding:.25rem .75rem;font-size:.8125rem}
.quick{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));margin-bottom:1.25rem}
.quick button{flex-direction:column;align-items:start;text-align:left}
.quick small{font-weight:400;font-size:.75rem}
button.danger,.btn.danger{background:#b91c1c;border-color:#b91c1c}button.danger:hover,.btn.danger:hover{background:#991b1b;border-color:#991b1b}
.top{margin-left:auto;display:flex;align-items:center;gap:1rem;font-size:.875rem}.top form{margin:0}.top>a{font-weight:600;text-decoration:none}
.me{display:inline-flex;align-items:center;gap:.5rem;font-weight:600}
.sm{width:1.75rem;height:1.75rem;font-size:.6875rem}
.dash{display:grid;grid-template-columns:14rem minmax(0,1fr);gap:2rem;align-items:start}
.side ul{list-style:none;margin:0 0 1.25rem;padding:0}
.side-label{font-size:.6875rem;font-weight:700;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 .75rem .25rem}
.side a{display:flex;align-items:center;gap:.5rem;padding:.375rem .75rem;border-radius:8px;color:var(--text);text-decoration:none;font-size:.875rem}
.side a:hover{background:#e8e9f0}.side [aria-current]{font-weight:600}.side [aria-current=page]{background:var(--accent-soft);color:var(--accent-dark)}
.side-meta{display:block;font-size:.75rem;color:var(--muted);font-weight:400}
.head p{margin:0}.dash .field{margin-bottom:1.25rem}.field [aria-invalid]{border-color:#b91c1c!important}
.field input.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8125rem}
.hint,.error{font-size:.8125rem;margin:.375rem 0 0;color:var(--muted)}.error{color:#b91c1c}
.bar{display:flex;justify-content:flex-end;gap:.75rem;border-top:1px solid var(--border);padding-top:1.25rem}
.notice h2{font-size:.9375rem;margin-bottom:.25rem}.notice .field{margin:.75rem 0 0}.notice label{color:var(--text)}
.card.danger{border-color:#fecaca}
@media (max-width:760px){.dash{grid-template-columns:1fr}}
@media (max-width:640px){.card{padding:1.25rem}.main.narrow{padding-top:1rem}th,td{padding:.5rem}}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
td code.secret{display:inline-block;max-width:20rem;white-space:normal;word-break:break-all;font-size:.75rem}
`;
