"""The phone page served at the simulator's root: what a demo user looks at."""

PHONE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>WhatsApp simulator - patients' phones</title>
<style>
body{margin:0;font:15px system-ui,sans-serif;display:flex;height:100vh;background:#eae6df}
nav{width:260px;background:#fff;border-right:1px solid #ddd;overflow:auto}
nav h1{font-size:16px;margin:12px}
nav button{display:block;width:100%;text-align:left;padding:10px 12px;border:0;border-top:1px solid #eee;background:#fff;cursor:pointer}
nav button[aria-current=true]{background:#d9fdd3}
main{flex:1;display:flex;flex-direction:column}
header{background:#075e54;color:#fff;padding:12px 16px;font-weight:600}
#chat{flex:1;overflow:auto;padding:16px}
.msg{max-width:70%;margin:6px 0;padding:8px 10px;border-radius:8px;white-space:pre-wrap;box-shadow:0 1px 1px #0002}
.in{background:#fff}.out{background:#d9fdd3;margin-left:auto}
.meta{font-size:12px;color:#667;margin-top:4px}.err{color:#b00020}
.btns button{margin:4px 4px 0 0}
form{display:flex;gap:6px;padding:10px;background:#f0f2f5}
form input{flex:1;padding:8px}
#new{padding:10px;border-top:1px solid #eee}#new input{width:95%;margin:3px 0}
</style></head><body>
<nav aria-label="Conversations"><h1>Patients' phones</h1><div id="list"></div>
<form id="new" aria-label="New patient"><div>
<label>Number <input id="newnum" placeholder="393331234567" required></label>
<label>Name <input id="newname" placeholder="Maria Rossi"></label>
<label>First message <input id="newtext" placeholder="Buonasera, vorrei una visita" required></label>
<button>Write as a new patient</button></div></form></nav>
<main><header id="title">Choose a conversation</header>
<section id="chat" aria-live="polite"></section>
<form id="reply" aria-label="Reply as the patient">
<label for="text" hidden>Message</label><input id="text" placeholder="Reply as the patient" disabled>
<button id="send" disabled>Send</button></form></main>
<script>
let current=null;
const ticks={accepted:'🕓',sent:'✓ sent',delivered:'✓✓ delivered',read:'✓✓ read',failed:'✗ failed',received:''};
async function api(path,body){const r=await fetch(path,body?{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)}:{});return r.json();}
function el(tag,cls,text){const e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e;}
async function refresh(){
 const convs=await api('/_sim/conversations');const list=document.getElementById('list');list.textContent='';
 for(const c of convs){const b=el('button','',(c.name||'+'+c.wa_id)+(c.window_open?' · 24h open':''));
  b.setAttribute('aria-current',c.wa_id===current);b.onclick=()=>{current=c.wa_id;refresh();};list.appendChild(b);}
 const chat=document.getElementById('chat');const conv=convs.find(c=>c.wa_id===current);
 document.getElementById('text').disabled=document.getElementById('send').disabled=!conv;
 if(!conv)return;document.getElementById('title').textContent=(conv.name||'')+' +'+conv.wa_id;
 chat.textContent='';
 for(const m of conv.messages){const d=el('div','msg '+m.direction,m.text||'');
  if(m.buttons&&m.buttons.length){const bs=el('div','btns');for(const [title] of m.buttons){const bb=el('button','',title);
   bb.onclick=()=>api('/_sim/press',{from:conv.wa_id,message_id:m.id,button:title}).then(refresh);bs.appendChild(bb);}d.appendChild(bs);}
  const meta=el('div','meta',new Date(m.time*1000).toLocaleString()+' '+(ticks[m.status]||m.status));d.appendChild(meta);
  for(const e of m.errors||[]){d.appendChild(el('div','meta err',e.code+': '+((e.error_data||{}).details||e.title)));}
  chat.appendChild(d);}
 chat.scrollTop=chat.scrollHeight;}
document.getElementById('reply').onsubmit=async e=>{e.preventDefault();const t=document.getElementById('text');
 if(!t.value||!current)return;await api('/_sim/inbound',{from:current,type:'text',text:t.value});t.value='';refresh();};
document.getElementById('new').onsubmit=async e=>{e.preventDefault();current=document.getElementById('newnum').value.replace(/\\D/g,'');
 await api('/_sim/inbound',{from:current,name:document.getElementById('newname').value,type:'text',text:document.getElementById('newtext').value});refresh();};
refresh();setInterval(refresh,2000);
</script></body></html>
"""
