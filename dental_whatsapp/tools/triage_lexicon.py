"""The word lists of :mod:`.triage`: data, per language (``it``, ``es``, ``en``, ``pt``).

Each fragment is a regex over :func:`keywords.normalize_text` output (casefolded, no
accents, no punctuation), matched on whole words; :data:`ALIASES` first rewrites the
shorthand patients type ("nn", "xq", "qdo") to the word the lists spell out.
"""

# Each category is a regex alternation matched on whole words of the normalised text.
#   pain, swelling, bleeding, symptom: a symptom on its own
#   broken, detached: a symptom only when the message names a tooth, gum, crown...
#   object: teeth and what is in or around them
#   trauma, site, spread, airway, fever, painkiller, persist, bleed_persist, stopped:
#     the urgent patterns (see the module docstring)
#   flirt, address + looks, eyes + looks, vocative, partner: advances
#   hostile, admin: as named
LEX = {
    "it": {
        "pain": r"fa(?:nno)? (?:\w+ ){0,2}mal(?:e|issimo)|male (?:cane|al|ai|alla|alle)"
                r"|mal di (?:denti|dente|gengive)|dolor\w*|dolent\w*|indolenzit\w*"
                r"|puls[ao]\w*|fitt[ae]|sensibil\w*|bruci\w*|(?:da|fa) fastidio|tormenta\w*",
        "swelling": r"gonfi\w*|tumefatt\w*|infiammat\w*",
        "bleeding": r"sanguin\w*|sangue|emorragi\w*",
        "symptom": r"ascess\w*|pus|infezion\w*|infett\w*|aft[ae]|piag\w*|carie|cariat\w*"
                   r"|(?:non|nn) riesco (?:piu )?(?:ad? )?(?:aprire|chiudere|masticare|mangiare)"
                   r"|graffi\w*",
        "broken": r"rott[oaie]|spezz\w*|scheggiat\w*|incrinat\w*|uscit[oa]",
        "detached": r"saltat[oa]|staccat[oa]|cadut[oa]|macchi[ae]|pallina|boll[ae]|bozzo|buco"
                    r"|puntin[oi] ner[oi]",
        "loose": r"si muov\w*|dondol\w*|ball(?:a|ano)|mobil[ei]",
        "object": r"dent[ei]|dentin[oi]|molar[ei]|incisiv[oi]|canin[oi]|otturazion[ei]"
                  r"|capsul[ae]|corona|gengiv[ae]|apparecchio|bracket|filo|protesi"
                  r"|impiant[oi]|giudizio|bocca|guancia|lingua|mascella|labbro|palato|ponte",
        "trauma": r"cadut[oaie]|sbattut[oa]|sbattendo|pallonata|botta|colpo|incidente|pugno"
                  r"|gomitata|testata|inciampat[oa]|picchiat[oa]",
        "site": r"occhi?o|occhi|palpebra|collo|gola",
        "spread": r"si (?:sta )?allarga\w*|si espande|sempre piu grande|aumenta\w*",
        "airway": r"deglut\w*|mandare giu|ingoi\w*|inghiott\w*|respir\w*|fiato|soffoc\w*",
        "fever": r"febbre|febbricola|temperatura",
        "painkiller": r"oki|tachipirin\w*|moment|brufen|aulin|nurofen|ibuprofen\w*"
                      r"|paracetamol\w*|antidolorific\w*|antinfiammatori\w*|ketoprofene",
        "persist": r"non (?:mi )?passa|non (?:mi )?fa (?:piu )?(?:niente|nulla|effetto)"
                   r"|non serve|insopportabil\w*|lo stesso|uguale|ancora|continua",
        "bleed_persist": r"non si ferma|non smette|ancora|continua|garz[ae]",
        "stopped": r"si e fermat[oa]|ha smesso|smesso|fermat[oa]",
        "flirt": r"usciamo|usciresti|uscire (?:con me|insieme)|ti (?:porto|offro|invito|va di)"
                 r"|ti posso offrire|offrirti|a cena|cen(?:a|are) insieme|aperitivo"
                 r"|bere qualcosa|ti va (?:un|una|di)|vieni a (?:casa|vedere)|casa mia"
                 r"|fuori dallo studio|(?:che|cosa) fai (?:\w+ )?(?:sera|stasera|weekend)"
                 r"|mi manchi|ti penso|penso a te|sognato di te|ti amo|innamorat\w*"
                 r"|(?:il tuo|tuo) numero|numero (?:personale|privato)|in privato"
                 r"|stasera sei liber[oa]|sei liber[oa] stasera|il tuo instagram",
        "address": r"sei|stai|sembri|lei e|ti trovo",
        "looks": r"bellissim[ao]|bell[ao]|bei|begli|carin[ao]|stupend[aoie]|splendid[ao]"
                 r"|meraviglios[ao]|schianto|fig[ao]|gnocc[ao]|bon[ao]|sexy|affascinante",
        "eyes": r"occhi|sguardo|voce|labbra|gambe",
        "vocative": r"bella|bellissima|bellezza|tesoro|amore|gnocca|sexy",
        "partner": r"fidanzat[oa]|moros[oa]|marito|moglie|single|sposat[oa]",
        "hostile": r"denunc\w*|querel\w*|avvocat\w*|carabinieri|ladr[io]|ladroni|truff\w*"
                   r"|incompetent\w*|incapac\w*|cialtron\w*|buffon\w*|pagliacc\w*|stronz\w*"
                   r"|vaffa\w*|fanculo|cretin\w*|idiot\w*|imbecill\w*|deficient\w*"
                   r"|maleducat\w*|cafon\w*|schifo|merd\w*|delinquent\w*|sciacall\w*"
                   r"|vergogn(?:a|atevi|oso|osa|osi)|andate a quel paese|ridicol\w*"
                   r"|spacco|vi faccio chiudere|vi rovino|una stella|recensione negativa"
                   r"|che razza di|assurdo|approfittator\w*",
        "admin": r"appuntament\w*|prenot\w*|disdi\w*|disdett\w*|spost\w*|rimand\w*|rinvi\w*"
                 r"|annull\w*|conferm\w*|fattur\w*|ricevut\w*|pagament\w*|pag[aoh]\w*"
                 r"|bonific\w*|sollecit\w*|rate|rateizz\w*|preventiv\w*|cost[aio]|prezz\w*"
                 r"|quanto|tariff\w*|orari\w*|aprite|apert[oi]|chius[oi]|apertura"
                 r"|assicurazion\w*|rimbors\w*|certificat\w*|document\w*|730|codice fiscale"
                 r"|addebit\w*|contanti|soldi|euro|visita|controllo|parcheggio|foglio"
                 r"|bancomat|detrazion\w*|ticket|alle \d+|(?:lune|marte|mercole|giove|vener)di"
                 r"|sabato|domenica",
    },
    "es": {
        "pain": r"duel\w*|dolor\w*|doliendo|dolia|me molestan?|punzante|pulsante"
                r"|sensibilidad|sensible|arden?|ardor|escuece|pinchazos?|molestias?|molestando|calambr\w*|picad[ao]",
        "swelling": r"hinch\w*|inflamad[oa]s?|inflamacion",
        "bleeding": r"sangr\w*|sangre|hemorragi\w*",
        "symptom": r"absces\w*|flemon\w*|pus|infeccion|infectad\w*|llaga\w*|herida\w*|caries"
                   r"|no (?:puedo|consigo) (?:abrir|cerrar|masticar|comer)|roza\w*",
        "broken": r"rot[oa]s?|rompi\w*|partid[oa]|partio|partier\w*|salio|salido",
        "detached": r"despegad[oa]|despego|caid[oa]|cayo|mancha\w*|bulto|bolita|agujero"
                    r"|puntito negro",
        "loose": r"se (?:me |le )?mueven?|floj[oa]s?|baila\w*",
        "object": r"diente\w*|muela\w*|colmillo|empaste\w*|corona|encia\w*|bracket\w*|aparato"
                  r"|alambre|protesis|dentadura|implante\w*|boca|lengua|labio|mandibula"
                  r"|mejilla|cara|paladar|puente",
        "trauma": r"cai|cayo|caido|caida|caer|golpe\w*|pelotazo|balonazo|accidente"
                  r"|punetazo|choque|tropec\w*|tropez\w*|codazo",
        "site": r"ojos?|parpado|cuello|garganta",
        "spread": r"se (?:esta )?extend\w*|se expand\w*|va a mas|cada vez mas grande",
        "airway": r"tragar|trago|respir\w*|ahog\w*|asfixi\w*",
        "fever": r"fiebre|calentura|temperatura",
        "painkiller": r"ibuprofeno|paracetamol|nolotil\w*|enantyum|analgesic\w*"
                      r"|antiinflamatori\w*|calmante\w*|pastillas?|metamizol",
        "persist": r"no se (?:me )?(?:quita|pasa|va)|no (?:me )?hace(?:n)? (?:nada|efecto)"
                   r"|sigue|igual|insoportable|inaguantable|todavia|aun",
        "bleed_persist": r"sigue|no para|no se (?:para|corta|detiene)|gasa|todavia|aun",
        "stopped": r"(?:se )?paro|se ha parado|se detuvo|se corto",
        "flirt": r"te invito|quedamos|quedar conmigo|salir conmigo|salimos|tomar algo"
                 r"|una copa|unas? canas?|cenar conmigo|a cenar|vente|mi casa"
                 r"|una cita contigo|te apetece|te llevo|te echo de menos|te extrano"
                 r"|pienso en ti|sone contigo|te quiero|te amo|enamorad\w*"
                 r"|tu (?:numero|movil)(?: personal)?|numero personal|en privado"
                 r"|estas libre esta noche|esta noche estas libre|libre esta noche|vernos"
                 r"|que haces (?:el |este )?(?:sabado|finde|fin de semana|esta noche)",
        "address": r"eres|estas|te ves",
        "looks": r"guap[ao]s?|guapisim[ao]|precios[ao]s?|bonit[ao]s?|lind[ao]s?|hermos[ao]s?"
                 r"|buenisim[ao]|buenorr[ao]|sexy|encantador[a]?",
        "eyes": r"ojos|mirada|voz|labios|piernas",
        "vocative": r"guapa|guapisima|preciosa|bonita|reina|carino|cielo|sexy",
        "partner": r"novi[oa]|marido|esposo|mujer|solter[oa]|casad[oa]",
        "hostile": r"denunci\w*|abogad\w*|policia|ladron\w*|estafa\w*|timador\w*"
                   r"|incompetent\w*|inutil\w*|payas\w*|imbecil\w*|idiota\w*|estupid\w*"
                   r"|gilipollas|cabron\w*|maleducad\w*|mierda|(?:que|un) asco|asco de"
                   r"|sinverguenza\w*|(?:que|vaya|menuda) verguenza|caradura\w*|os rompo"
                   r"|rompo todo|cerrar la clinica|os cierro|ya vereis|una estrella"
                   r"|mala resena|resena negativa|que clinica es esta|absurdo",
        "admin": r"citas?|reserv\w*|aplaz\w*|anul\w*|cancel\w*|cambiar|confirm\w*|factur\w*"
                 r"|recibo\w*|pag[oaue]\w*|transferencia|bizum|recordatorio|plazos"
                 r"|financi\w*|presupuesto\w*|cuest[ao]|cuanto|precio\w*|abr[ei]s|abren"
                 r"|abiert[oa]s?|cerrad[oa]s?|horario\w*|seguro|sanitas|adeslas|mapfre|dkv"
                 r"|asisa|reembols\w*|devolv\w*|justificante|certificado|dni|nif|cobr\w*"
                 r"|efectivo|dinero|euros?|revision|papel|tarjeta|hacienda|hueco|a las \d+"
                 r"|lunes|martes|miercoles|jueves|viernes|sabado|domingo",
    },
    "en": {
        "pain": r"pain(?!kill)\w*|hurt\w*|ache\w*|aching|toothache|sore|throbb\w*|sensitiv\w*"
                r"|burn\w*|killing me|tender|bothering|twinge\w*|niggl\w*",
        "swelling": r"swell\w*|swollen|puffy|inflamed|inflammation|blown up",
        "bleeding": r"bleed\w*|bled|blood\w*",
        "symptom": r"abscess\w*|pus|infection|infected|ulcer\w*|cavity|cavities"
                   r"|(?:can t|cant|cannot|can not) (?:open|close|chew|eat)|scratch\w*"
                   r"|clicks?|clicking",
        "broken": r"broke\w*|broken|snapped|chipped|cracked|knocked (?:\w+ ){0,3}out"
                  r"|came out|fell out",
        "detached": r"fell off|came off|patch|lump|bump|hole|(?:black|dark) (?:dot|spot)",
        "loose": r"came loose|loose|wobbly|wiggl\w*|moving",
        "object": r"tooth|teeth|molar\w*|filling\w*|crown\w*|gums?|brace\w*|bracket\w*|wire"
                  r"|denture\w*|implant\w*|mouth|tongue|jaw|cheek|lips?|bridge|wisdom",
        "trauma": r"fell|fall|falling|hit|knocked|accident|punched|crash\w*|tripped"
                  r"|smacked|whacked|elbowed|blow",
        "site": r"eyes?|eyelid|neck|throat",
        "spread": r"spread\w*|getting bigger",
        "airway": r"swallow\w*|breathe|breathing|breathless|short of breath|choking|choke",
        "fever": r"fever\w*|temperature|temp",
        "painkiller": r"ibuprofen|paracetamol|painkillers?|advil|tylenol|nurofen|co codamol"
                      r"|aspirin|pills|meds",
        "persist": r"won t go away|wont go away|not going away|doesn t help|doesnt help"
                   r"|not helping|didn t help|didnt help|nothing (?:helps|works)|still"
                   r"|unbearable|no effect|not working",
        "bleed_persist": r"still|won t stop|wont stop|doesn t stop|doesnt stop|not stopping"
                         r"|keeps|gauze",
        "stopped": r"stopped",
        "flirt": r"go out|going out|take you (?:out|for)|buy you|my place|fancy an?"
                 r"|grab a (?:drink|coffee|bite)|(?:drinks?|dinner|coffee|movie) (?:with me"
                 r"|sometime|tonight)|wanna (?:go|grab|get|come|hang)|on a date|hang out"
                 r"|after your shift|miss you|thinking (?:of|about) you"
                 r"|dream(?:t|ed) (?:about|of) you|love you|in love with you"
                 r"|your (?:personal |private |own )?(?:cell|mobile)|personal number"
                 r"|private number|privately|are you free tonight|free tonight|your insta"
                 r"|(?:what are you|are you) doing (?:\w+ )?(?:tonight|night|weekend|later)",
        "address": r"you re|youre|you are|u r|ur|you look|u look",
        "looks": r"gorgeous|beautiful|cute|hot|pretty|stunning|sexy|handsome",
        "eyes": r"eyes|voice|lips|legs",
        "vocative": r"beautiful|gorgeous|sexy|babe|baby|darling|honey|sweetheart|cutie",
        "partner": r"boyfriend|girlfriend|husband|wife|single|married",
        "hostile": r"sue|suing|sued|lawyers?|solicitors?|police|thie(?:f|ves)|crooks?"
                   r"|scam\w*|rip ?off|fraud\w*|incompetent|useless|clowns?|idiots?"
                   r"|morons?|stupid|rude|pathetic|disgrace\w*|disgusting|shame on you"
                   r"|fuck\w*|shit\w*|bastards?|bitch\w*|go to hell|piss off|liars?"
                   r"|(?:you re|youre|what) a joke|one star|1 star|smash\w*|shut down"
                   r"|what kind of (?:practice|clinic|service|place)|worst (?:dentist|practice"
                   r"|clinic|service)|you ll regret|youll see|you ll see"
                   r"|cowboys|never again",
        "admin": r"appointments?|appt\w*|book\w*|reschedul\w*|cancel\w*|postpone\w*"
                 r"|confirm\w*|invoice\w*|receipts?|payments?|pay|paid|paying|transfer"
                 r"|reminder|instal?ments|quote|costs?|how much|price\w*|fees?|open"
                 r"|opening|closed|hours|insurance|bupa|denplan|claim|note for work"
                 r"|sick note|charged|charge|cash|money|refund\w*|check ?up|card|bill\w*"
                 r"|statement|slots?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|thurs",
    },
    "pt": {
        "pain": r"dor|dores|doi|doe|doem|doer|doendo|doeu|dolorid\w*|latej\w*|sensivel"
                r"|sensibilidade|ardendo|arde|ardencia|incomodando|me incomoda|pontadas?|fisgadas?",
        "swelling": r"inch[aoe]\w*|inflamad\w*|inflamacao",
        "bleeding": r"sangr\w*|sangue|hemorragi\w*",
        "symptom": r"abscesso|(?:com|de|saindo|sai) pus|infeccao|infeccionad\w*|infectad\w*"
                   r"|aftas?|ferida\w*|carie\w*|nao consigo (?:abrir|fechar|mastigar|comer)"
                   r"|machuc\w*",
        "broken": r"quebr\w*|las[cq]\w*|trincad\w*|saiu",
        "detached": r"caiu|soltou|solt[oa]|mancha\w*|bolinha|caroco|buraco|pontinho preto",
        "loose": r"moles?|mexendo|balanc\w*",
        "object": r"dentes?|molar\w*|obturacao|restauracao|coroa|gengiva\w*|aparelho"
                  r"|bracket\w*|fio|dentadura|protese|implante|boca|lingua|siso|bochecha"
                  r"|mandibula|ponte|canal",
        "trauma": r"cai|caiu|caido|queda|bati|bateu|batida|bolada|acidente|soco|pancada"
                  r"|tombo|tropec\w*|cotovelada",
        "site": r"olhos?|palpebra|pescoco|garganta",
        "spread": r"espalhando|aumentando|cada vez maior",
        "airway": r"engolir|engulo|respir\w*|falta de ar|sufoc\w*|engasg\w*",
        "fever": r"febre|temperatura",
        "painkiller": r"dipirona|paracetamol|ibuprofeno|novalgina|dorflex|analgesic\w*"
                      r"|remedios?|tylenol|nimesulida",
        "persist": r"nao passa|nao (?:faz|fez) efeito|nao adianta|continua|insuportavel"
                   r"|mesmo assim|ainda",
        "bleed_persist": r"continua|nao para|nao estanca|gaze|ainda",
        "stopped": r"parou|estancou",
        "flirt": r"vamos jantar|jantar comigo|sair comigo|te pagar um|pagar um cafe"
                 r"|tomar uma|tomar alguma coisa|te levo|bora (?:tomar|sair)|la em casa"
                 r"|um encontro|assistir um filme|saudades?|sonhei com (?:vc|voce|tu|ti)"
                 r"|penso em (?:vc|voce)|te amo|te adoro|apaixonad\w*"
                 r"|(?:seu|teu) (?:numero|zap|whats)|numero pessoal|no privado"
                 r"|livre hoje a noite|livre hj a noite|seu insta"
                 r"|(?:vc|voce) vai fazer (?:\w+ ){0,2}(?:noite|fds|fim de semana)",
        "address": r"vc e|voce e|vc fica|voce fica|vc ta|vc esta|tu e|tu es|ce e|vc eh",
        "looks": r"lind[ao]s?|gat[ao]|gostos[ao]|fof[ao]|maravilhos[ao]|bonit[ao]"
                 r"|charmos[ao]|sexy|gatinh[ao]",
        "eyes": r"olhos|olhar|voz|labios|pernas",
        "vocative": r"linda|gata|gostosa|gatinha|princesa|sexy|delicia",
        "partner": r"namorad[oa]|marido|esposa|solteir[oa]|casad[oa]",
        "hostile": r"processar|advogad\w*|policia|procon|ladr(?:ao|oes|ona)|golpist\w*"
                   r"|picaret\w*|incompetent\w*|inuteis|idiota\w*|burr[oa]s?|gross[oa]s?"
                   r"|lixo|porra|merda|caralho|vai se (?:ferrar|foder|danar|lascar)"
                   r"|pro inferno|vergonha|palhac\w*|bando de|absurdo|roubo|roubando"
                   r"|uma piada|sacanagem|desrespeito|quebro tudo"
                   r"|fechar(?:em)? (?:essa|esta|a) clinica|uma estrela|reclame aqui"
                   r"|vcs vao ver|voces vao ver|que clinica e essa",
        "admin": r"consultas?|marc\w*|remarc\w*|desmarc\w*|agend\w*|adiar|cancel\w*"
                 r"|confirm\w*|fatura|nota fiscal|nota|recibo|pagamento|pag[aou]\w*|pix"
                 r"|boleto|cobranc\w*|cobr\w*|parcel\w*|orcamento|cust[ao]|quanto|preco"
                 r"|abrem|abert[oa]|fechad[oa]|horario\w*|convenio|plano|reembols\w*"
                 r"|atestado|cpf|dinheiro|avaliacao|revisao|segunda|terca|quarta|quinta|sexta|sabado|bolso|cartao|reais|valor|imposto",
    },
}  # fmt: skip

# Tokens that negate a symptom up to a few words after them, unless a clause breaker
# ("ma", "but") comes first: "non ho più dolore" is not clinical, "il dente non fa più
# male ma adesso è gonfia la gengiva" is.
NEGATORS = {
    "it": {"non", "nn", "no", "nessun", "nessuna", "nessuno", "niente", "senza", "mai"},
    "es": {"no", "ni", "nada", "sin", "ningun", "ninguna", "nunca"},
    "en": {"no", "not", "never", "without", "none", "nothing", "dont", "doesnt", "didnt",
           "isnt", "hasnt", "havent", "wasnt", "don", "doesn", "didn", "isn", "hasn",
           "haven", "wasn"},
    "pt": {"nao", "sem", "nenhum", "nenhuma", "nunca", "nada", "nem"},
}  # fmt: skip
BREAKS = {
    "it": {"ma", "pero", "adesso", "ora"},
    "es": {"pero", "ahora"},
    "en": {"but", "now", "though", "tho"},
    "pt": {"mas", "agora"},
}
# After a negator, words that make it inability or persistence, not absence:
# "non riesco a deglutire", "no para de sangrar", "non si ferma il sangue".
NOT_ABSENCE = (
    r"(?:riesco|posso|puedo|puede|consigo|consegue|can|could|able|si ferma|smette"
    r"|se (?:me )?(?:para|quita|pasa|va)|para|passa|pasa|stop|stops|adianta"
    r"|so se|se si|sei se|sure|know|sabe)(?!\w)"
)
# Near a pain word, these make it a figure of speech: "mi fa male pagare così tanto",
# "me duele el alma", "my heart hurts", "dói no bolso".
FIGURATIVE = {
    "pagare", "pagar", "pay", "paying", "cuore", "corazon", "heart", "coracao", "alma",
    "bolso", "pocket", "wallet", "portafoglio", "pensare", "pensar", "think", "thinking",
}  # fmt: skip
