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
                r"|puls[ao]\w*|fitt[ae]|sensibil\w*|bruci\w*|(?:da|fa) fastidio|tormenta\w*"
                r"|duol\w*|lancinant\w*|(?:ho|sento|un|dei|che) (?:\w+ )?fastidi\w*"
                r"|mi (?:sta )?(?:ammazza\w*|uccide\w*|uccidendo)|male ai denti|dolorin\w*",
        "swelling": r"gonfi\w*|tumefatt\w*|infiammat\w*",
        "bleeding": r"sanguin\w*|sangue|emorragi\w*",
        "symptom": r"ascess\w*|pus|infezion\w*|infett\w*|aft[ae]|piag\w*|carie|cariat\w*"
                   r"|(?:non|nn) riesco (?:piu )?(?:ad? )?(?:aprire|chiudere|masticare|mangiare)"
                   r"|graffi\w*"
                   r"|alitosi|alito cattivo",
        "broken": r"rott[oaie]|spezz\w*|scheggiat\w*|incrinat\w*|uscit[oa]"
                  r"|fratturat\w*|crepat\w*|scheggi\w*|cascat[oa]",
        "detached": r"saltat[oa]|staccat[oa]|cadut[oa]|macchi[ae]|pallina|boll[ae]|bozzo|buco"
                    r"|puntin[oi] ner[oi]"
                    r"|cascat[oa]|pers[oa]|punge|pungono|graffia\w*|taglia\w*|tagliente"
                    r"|appuntit\w*|sfrega\w*"
                    r"|scollat[oa]|scollat[ie]|si e staccat\w*",
        "loose": r"si muov\w*|dondol\w*|ball(?:a|ano)|mobil[ei]"
                 r"|ballare|ballano|traball\w*|dondolare",
        "object": r"dent[ei]|dentin[oi]|molar[ei]|incisiv[oi]|canin[oi]|otturazion[ei]"
                  r"|capsul[ae]|corona|gengiv[ae]|apparecchio|bracket|filo|protesi"
                  r"|impiant[oi]|giudizio|bocca|guancia|lingua|mascella|labbro|palato|ponte"
                  r"|dentiera|mascherin[ae]|allineator\w*|invisalign|bite|radice|nervo|punti"
                  r"|devitalizzat\w*|estrazion\w*"
                  r"|provvisori[oa]|provvisoria"
                  r"|faccett\w*",
        "trauma": r"cadut[oaie]|sbattut[oa]|sbattendo|pallonata|botta|colpo|incidente|pugno"
                  r"|gomitata|testata|inciampat[oa]|picchiat[oa]"
                  r"|cascat[oa]|giocando|calcio|calcetto|partita|bici|bicicletta|palestra|rissa"
                  r"|scivolat[oa]"
                  r"|ho sbattuto|ho battuto|mi sono dat[oa]|preso (?:una )?botta|motorino|moto"
                  r"|scooter",
        "site": r"occhi?o|occhi|palpebra|collo|gola",
        "spread": r"si (?:sta )?allarga\w*|si espande|sempre piu grande|aumenta\w*"
                  r"|peggior(?:a|ano|ando|at[oa])"
                  r"|tutt[ao] (?:la |il )?(?:faccia|viso|guancia|lato)|mezza faccia",
        "airway": r"deglut\w*|mandare giu|ingoi\w*|inghiott\w*|respir\w*|fiato|soffoc\w*",
        "fever": r"febbre|febbricola|temperatura",
        "painkiller": r"oki|tachipirin\w*|moment|brufen|aulin|nurofen|ibuprofen\w*"
                      r"|paracetamol\w*|antidolorific\w*|antinfiammatori\w*|ketoprofene"
                      r"|okitask|toradol|voltaren|aspirin\w*|nimesulide|pastigli\w*|compress\w*"
                      r"|antidolorific\w*",
        "persist": r"non (?:mi )?passa|non (?:mi )?fa (?:piu )?(?:niente|nulla|effetto)"
                   r"|non serve|insopportabil\w*|lo stesso|uguale|ancora|continua"
                   r"|non (?:mi )?(?:ha )?fatto (?:niente|nulla|effetto)|nessun effetto"
                   r"|non funziona\w*|non bast\w*|neanche|nemmeno",
        "bleed_persist": r"non si ferma|non smette|ancora|continua|garz[ae]"
                         r"|senza sosta|non la smette",
        "stopped": r"si e fermat[oa]|ha smesso|smesso|fermat[oa]",
        "trismus": r"non riesco (?:piu )?(?:ad? )?aprire (?:\w+ )?bocca|non apro (?:\w+ )?bocca"
                   r"|bocca (?:non )?si apre",
        "aftercare": r"(?:posso|devo|si puo) (?:\w+ )?"
                     r"(?:mangiare|bere|prendere|fumare|sciacquare|lavare|spazzolare)"
                     r"|(?:cosa|che) devo fare|come mi devo comportare"
                     r"|fare sport|allenarmi|andare in palestra|correre|nuotare",
        "farewell": r"(?:a|ci vediamo|ci sentiamo|allora a|arrivederci a) (?:\w+ )?(?:lune|marte"
                    r"|mercole|giove|vener)di"
                    r"|(?:a|ci vediamo) (?:sabato|domani|dopo)",
        "availability": r"(?:e|sei) liber[oa] (?:stasera|sabato|questo weekend|domenica|dopo)",
        "fine": r"(?:sta|sto|va|vanno|stanno) (?:\w+ )?bene|tutto (?:bene|ok|a posto|perfetto)"
                r"|benissimo|perfett[oa]|guarit[oa]|nessun problema"
                r"|grazie|complimenti|bravissim\w*|contentissim\w*|bellissim\w*",
        "worry": r"e normale|(?:devo|mi devo) preoccup\w*|e grave|e un problema",
        "flirt": r"usciamo|usciresti|uscire (?:con me|insieme)|ti (?:porto|offro|invito|va di)"
                 r"|ti posso offrire|offrirti|a cena|cen(?:a|are) insieme|aperitivo"
                 r"|bere qualcosa|ti va (?:un|una|di)|vieni a (?:casa|vedere)|casa mia"
                 r"|fuori dallo studio|(?:che|cosa) fai (?:\w+ )?(?:sera|stasera|weekend)"
                 r"|mi manchi|ti penso|penso a te|sognato di te|ti amo|innamorat\w*"
                 r"|(?:il tuo|tuo) numero|numero (?:personale|privato)|in privato"
                 r"|stasera sei liber[oa]|sei liber[oa] stasera|il tuo instagram"
                 r"|sei impegnat[ao]|ha il ragazzo|ha la ragazza|esci con me"
                 r"|conoscer(?:la|ti|lo) meglio|mi piacerebbe (?:conoscer\w*|vederti|uscire)"
                 r"|fuori di qui"
                 r"|ti aspetto fuori|quando finisci il turno|dopo il lavoro ci vediamo",
        "address": r"sei|stai|sembri|lei e|ti trovo",
        "looks": r"bellissim[ao]|bell[ao]|bei|begli|carin[ao]|stupend[aoie]|splendid[ao]"
                 r"|meraviglios[ao]|schianto|fig[ao]|gnocc[ao]|bon[ao]|sexy|affascinante",
        "eyes": r"occhi|sguardo|voce|labbra|gambe",
        "vocative": r"bella|bellissima|bellezza|tesoro|amore|gnocca|sexy"
                    r"|splendore|splendida|principessa|dolcezza|bambola",
        "partner": r"fidanzat[oa]|moros[oa]|marito|moglie|single|sposat[oa]"
                   r"|ragazz[oa]|impegnat[oa]",
        "hostile": r"ladr[io]|ladroni|truff\w*"
                   r"|incompetent\w*|incapac\w*|cialtron\w*|buffon\w*|pagliacc\w*|stronz\w*"
                   r"|vaffa\w*|fanculo|cretin\w*|idiot\w*|imbecill\w*|deficient\w*"
                   r"|maleducat\w*|cafon\w*|schifo|delinquent\w*|sciacall\w*"
                   r"|vergogn(?:atevi|oso|osa|osi)|andate a quel paese|ridicol\w*"
                   r"|spacco|vi faccio chiudere|vi rovino|una stella|recensione negativa"
                   r"|che razza di|assurdo|approfittator\w*"
                   r"|peggior\w* (?:\w+ ){0,2}(?:studio|dentist\w*|clinica|servizio|esperienza)"
                   r"|ultima volta che vengo|mai piu da voi|non (?:ci )?torn\w* piu|vi sputtano"
                   r"|schifos\w*|vergognos\w*"
                   r"|dilettant\w*|pessim[oa] (?:servizio|studio|esperienza)"
                   r"|(?:servizio|studio) (?:\w+ )?pessim[oa]|vergognos\w*"
                   r"|ordine dei medici|esposto|segnal\w* (?:all|alla|ai)|presa in giro"
                   r"|ci prendete in giro",
        "admin": r"appuntament\w*|prenot\w*|disdi\w*|disdett\w*|spost\w*|rimand\w*|rinvi\w*"
                 r"|annull\w*|conferm\w*|fattur\w*|ricevut\w*|pagament\w*|pag[aoh]\w*"
                 r"|bonific\w*|sollecit\w*|rate|rateizz\w*|preventiv\w*|cost[aio]|prezz\w*"
                 r"|quanto|tariff\w*|orari\w*|aprite|apert[oi]|chius[oi]|apertura"
                 r"|assicurazion\w*|rimbors\w*|certificat\w*|document\w*|730|codice fiscale"
                 r"|addebit\w*|contanti|soldi|euro|visita|controllo|parcheggio|foglio"
                 r"|bancomat|detrazion\w*|ticket|alle \d+|(?:lune|marte|mercole|giove|vener)di"
                 r"|sabato|domenica"
                 r"|chiudete|chiude|chiusura|apre|aprono|che ora|a che ora|parcheggi\w*|indirizzo"
                 r"|dove (?:siete|si trova|e lo studio)|come (?:si )?arriv\w*|ritardo|tardi"
                 r"|giustificazione|giustificativo|sbiancament\w*"
                 r"|autobus|bus|metro|stazione|treno|navetta"
                 r"|venire|passare|(?:non|nn) (?:posso|riesco a) venire"
                 r"|(?:una|la prossima|fare la|fare una) (?:pulizia|igiene)|ablazione"
                 r"|radiograf\w*|lastr[ae]|panoramic\w*|ortopantomografi\w*|cartella clinica"
                 r"|piano di (?:cura|trattamento)|mandarmi|inviarmi|ritirare",
    },
    "es": {
        "pain": r"duel\w*|dolor\w*|doliendo|dolia|me molestan?|punzante|pulsante"
                r"|sensibilidad|sensible|arden?|ardor|escuece|pinchazos?"
                r"|(?<!(?:perdon\w*|disculp\w*|sentimos) (?:por )?las )molestias?|molestando"
                r"|calambr\w*|picad[ao]"
                r"|me (?:esta )?mat(?:a|ando)|punzada\w*|molest(?:a|an|ando|aba)|dolid[oa]"
                r"|doler",
        "swelling": r"hinch\w*|inflamad[oa]s?|inflamacion",
        "bleeding": r"sangr\w*|sangre|hemorragi\w*",
        "symptom": r"absces\w*|flemon\w*|pus|infeccion|infectad\w*|llaga\w*|herida\w*|caries"
                   r"|no (?:puedo|consigo) (?:abrir|cerrar|masticar|comer)|roza\w*"
                   r"|mal aliento|halitosis",
        "broken": r"rot[oa]s?|rompi\w*|partid[oa]|partio|partier\w*|salio|salido"
                  r"|astill\w*|fractur\w*|desportill\w*|rajad[oa]|quebr\w*",
        "detached": r"despegad[oa]|despego|caid[oa]|cayo|mancha\w*|bulto|bolita|agujero"
                    r"|puntito negro"
                    r"|perdi\w*|pica|pincha\w*|cort(?:a|ando)|afilad[oa]|raspa\w*"
                    r"|despeg\w*|se solto|se me solto",
        "loose": r"se (?:me |le )?mueven?|floj[oa]s?|baila\w*",
        "object": r"diente\w*|muela\w*|colmillo|empaste\w*|corona|encia\w*|bracket\w*|aparato"
                  r"|alambre|protesis|dentadura|implante\w*|boca|lengua|labio|mandibula"
                  r"|mejilla|cara|paladar|puente"
                  r"|cordal\w*|juicio|ferula\w*|alineador\w*|invisalign|ortodoncia|raiz|nervio"
                  r"|puntos|extraccion|dientito\w*"
                  r"|provisional\w*"
                  r"|carilla\w*",
        "trauma": r"cai|cayo|caido|caida|caer|golpe\w*|pelotazo|balonazo|accidente"
                  r"|punetazo|choque|tropec\w*|tropez\w*|codazo"
                  r"|jugando|futbol|partido|bici\w*|patin\w*|pelea|resbal\w*"
                  r"|me di (?:con|contra)|se dio (?:con|contra)|me pegue|me pegaron|golpe[eo]",
        "site": r"ojos?|parpado|cuello|garganta",
        "spread": r"se (?:esta )?extend\w*|se expand\w*|va a mas|cada vez mas grande"
                  r"|empeor\w*|(?:cada vez|esta|va|mucho) peor|toda la (?:cara|mejilla)|media cara",
        "airway": r"tragar|trago|respir\w*|ahog\w*|asfixi\w*",
        "fever": r"fiebre|calentura|temperatura",
        "painkiller": r"ibuprofeno|paracetamol|nolotil\w*|enantyum|analgesic\w*"
                      r"|antiinflamatori\w*|calmante\w*|pastillas?|metamizol"
                      r"|dolalgial|espidifen|aspirina|neobrufen|voltaren|antibiotico\w*",
        "persist": r"no se (?:me )?(?:quita|pasa|va)|no (?:me )?hace(?:n)? (?:nada|efecto)"
                   r"|sigue|igual|insoportable|inaguantable|todavia|aun"
                   r"|no (?:me )?(?:hace|hacen|hizo|hicieron) (?:nada|efecto)|no funciona\w*"
                   r"|no sirve\w*|ni con",
        "bleed_persist": r"sigue|no para|no se (?:para|corta|detiene)|gasa|todavia|aun"
                         r"|sin parar|no deja de|no para de",
        "stopped": r"(?:se )?paro|se ha parado|se detuvo|se corto",
        "trismus": r"no (?:puedo|consigo) abrir (?:\w+ )?boca|no abro (?:\w+ )?boca",
        "aftercare": r"(?:puedo|debo|se puede) (?:\w+ )?"
                     r"(?:comer|beber|fumar|enjuagar\w*|lavar\w*|cepillar\w*)"
                     r"|que (?:tengo que|debo|hay que) hacer"
                     r"|hacer deporte|entrenar|ir al gimnasio",
        "farewell": r"(?:hasta|nos vemos) (?:el |la )?(?:lunes|martes|miercoles|jueves|viernes"
                    r"|sabado|domingo|manana|luego|pronto)",
        "availability": r"(?:esta|estas) libre (?:este finde|el finde|el sabado|esta noche|luego)",
        "fine": r"(?:esta|estoy|va|van|estan) (?:\w+ )?bien|todo (?:bien|ok|perfecto)|perfect[oa]"
                r"|genial|curad[oa]|ningun problema"
                r"|gracias|encantad[oa]|genial|precios[oa]s?",
        "worry": r"es normal|(?:debo|tengo que) preocupar\w*|es grave|es malo|me preocupa",
        "flirt": r"te invito|quedamos|quedar conmigo|salir conmigo|salimos|tomar algo"
                 r"|una copa|unas? canas?|cenar conmigo|a cenar|vente|mi casa"
                 r"|una cita contigo|te apetece|te llevo|te echo de menos|te extrano"
                 r"|pienso en ti|sone contigo|te quiero|te amo|enamorad\w*"
                 r"|tu (?:numero|movil)(?: personal)?|numero personal|en privado"
                 r"|estas libre esta noche|esta noche estas libre|libre esta noche|vernos"
                 r"|que haces (?:el |este )?(?:sabado|finde|fin de semana|esta noche)"
                 r"|sale con alguien|tienes pareja|sales conmigo"
                 r"|conocer(?:te|la|lo) mejor|invitar(?:te|la|lo) a (?:cenar|salir|tomar|un cafe)"
                 r"|me encantaria (?:invitar\w*|conocer\w*|verte|salir)"
                 r"|cuando sales (?:de trabajar|del trabajo)|te espero (?:fuera|a la salida)",
        "address": r"eres|estas|te ves",
        "looks": r"guap[ao]s?|guapisim[ao]|precios[ao]s?|bonit[ao]s?|lind[ao]s?|hermos[ao]s?"
                 r"|buenisim[ao]|buenorr[ao]|sexy|encantador[a]?",
        "eyes": r"ojos|mirada|voz|labios|piernas",
        "vocative": r"guapa|guapisima|preciosa|bonita|reina|carino|cielo|sexy",
        "partner": r"novi[oa]|marido|esposo|mujer|solter[oa]|casad[oa]"
                   r"|pareja",
        "hostile": r"ladron\w*|estafa\w*|timador\w*"
                   r"|incompetent\w*|inutil\w*|payas\w*|imbecil\w*|idiota\w*|estupid\w*"
                   r"|gilipollas|cabron\w*|maleducad\w*|(?:que|un) asco|asco de"
                   r"|sinverguenza\w*|caradura\w*|os rompo"
                   r"|rompo todo|cerrar la clinica|os cierro|ya vereis|una estrella"
                   r"|mala resena|resena negativa|que clinica es esta|absurdo"
                   r"|peor (?:\w+ ){0,2}(?:clinica|dentista|servicio|experiencia|sitio|atencion)"
                   r"|nunca mas (?:vuelvo|volvere|voy)|no vuelvo mas"
                   r"|chapuz\w*|chapucer\w*|sinverguenz\w*"
                   r"|(?:servicio|atencion|clinica) (?:\w+ )?(?:pesim[oa]|horrible|lamentable"
                   r"|penos[oa])"
                   r"|(?:pesim[oa]|horrible|lamentable) (?:servicio|atencion|clinica)|queja formal"
                   r"|hoja de reclamaciones"
                   r"|tomadura de pelo|(?:nos|me) (?:toman|tomais|estais tomando) el pelo"
                   r"|ridicul\w*|colegio de (?:dentistas|odontologos)|oficina del consumidor",
        "admin": r"citas?|reserv\w*|aplaz\w*|anul\w*|cancel\w*|cambiar|confirm\w*|factur\w*"
                 r"|recibo\w*|pag[oaue]\w*|transferencia|bizum|recordatorio|plazos"
                 r"|financi\w*|presupuesto\w*|cuest[ao]|cuanto|precio\w*|abr[ei]s|abren"
                 r"|abiert[oa]s?|cerrad[oa]s?|horario\w*|seguro|sanitas|adeslas|mapfre|dkv"
                 r"|asisa|reembols\w*|devolv\w*|justificante|certificado|dni|nif|cobr\w*"
                 r"|efectivo|dinero|euros?|revision|papel|tarjeta|hacienda|hueco|a las \d+"
                 r"|lunes|martes|miercoles|jueves|viernes|sabado|domingo"
                 r"|cierran|cierra|cierre|abre|a que hora|que horario|aparcar|aparcamiento|parking"
                 r"|direccion|donde (?:esta|estan|queda)\w*|como llego|calle|tarde|retraso"
                 r"|blanqueamiento"
                 r"|autobus|bus|metro|estacion|tren"
                 r"|venir|(?:no )?(?:puedo|podre|voy a poder) ir|acudir"
                 r"|(?:una|otra|hacer(?:me)? (?:una|la)) limpieza"
                 r"|radiografia\w*|informe|historial|plan de tratamiento|mandar(?:me)?"
                 r"|enviar(?:me)?",
    },
    "en": {
        "pain": r"pain(?!kill)\w*|hurt\w*|ache\w*|aching|toothache|sore|throbb\w*|sensitiv\w*"
                r"|burn\w*|killing me|tender|bothering|twinge\w*|niggl\w*"
                r"|agon\w*|excruciating|killing me|throbs?|stings?|stinging",
        "swelling": r"swell\w*|swollen|puffy|inflamed|inflammation|blown up",
        "bleeding": r"bleed\w*|bled|blood\w*",
        "symptom": r"abscess\w*|pus|infection|infected|ulcer\w*|cavity|cavities"
                   r"|(?:can t|cant|cannot|can not) (?:open|close|chew|eat)|scratch\w*"
                   r"|clicks?|clicking"
                   r"|bad breath|halitosis|dry socket",
        "broken": r"broke\w*|broken|snapped|chipped|cracked|knocked (?:\w+ ){0,3}out"
                  r"|came out"
                  r"|fractured|split|crumbl\w*",
        "detached": r"fell off|came off|patch|lump|bump|hole|(?:black|dark) (?:dot|spot)"
                    r"|fell out|lost|missing|pok\w*|rubb\w*|digging|cutting|sharp|jagged"
                    r"|scratch\w*"
                    r"|popped (?:off|out)|come off|came unstuck|debonded",
        "loose": r"came loose|loose|wobbly|wiggl\w*|moving",
        "object": r"tooth|teeth|molar\w*|filling\w*|crown\w*|gums?|brace\w*|bracket\w*|wire"
                  r"|denture\w*|implant\w*|mouth|tongue|jaw|cheek|lips?|bridge|wisdom"
                  r"|retainer\w*|aligner\w*|invisalign|stitches|nerve|root|extraction|socket"
                  r"|temporary|temp crown|provisional"
                  r"|veneers?|composite bonding|bonding",
        "trauma": r"fell|fall|falling|hit|knocked|accident|punched|crash\w*|tripped"
                  r"|smacked|whacked|elbowed|blow"
                  r"|playing|football|rugby|hockey|cricket|basketball|bike|trampoline|fight|match"
                  r"|sports?|ball|slipped"
                  r"|banged|bumped|walked into|ran into|headbutt\w*",
        "site": r"eyes?|eyelid|neck|throat",
        "spread": r"spread\w*|getting bigger"
                  r"|(?:getting|got|gotten|much|even|way) worse|whole (?:face|cheek|side)"
                  r"|side of my face|half my face",
        "airway": r"swallow\w*|breathe|breathing|breathless|short of breath|choking|choke",
        "fever": r"fever\w*|temperature|temp",
        "painkiller": r"ibuprofen|paracetamol|painkillers?|advil|tylenol|nurofen|co codamol"
                      r"|aspirin|pills|meds"
                      r"|codeine|naproxen|panadol|tablets|co codamol|antibiotics?",
        "persist": r"won t go away|wont go away|not going away|doesn t help|doesnt help"
                   r"|not helping|didn t help|didnt help|nothing (?:helps|works)|still"
                   r"|unbearable|no effect|not working"
                   r"|isn t touching|isnt touching|not touching|doing nothing|do nothing"
                   r"|nothing is working|isnt working|isn t working|not even",
        "bleed_persist": r"still|won t stop|wont stop|doesn t stop|doesnt stop|not stopping"
                         r"|keeps|gauze"
                         r"|non stop|nonstop|won t stop|wont stop",
        "stopped": r"stopped",
        "trismus": r"(?:can t|cant|cannot|can not|barely|hardly) (?:\w+ )?open (?:my )?mouth",
        "aftercare": r"(?:can|should) i (?:\w+ )?(?:eat|drink|smoke|rinse|brush|exercise)"
                     r"|what (?:should|do) i do"
                     r"|work out|go to the gym|play (?:sport|football|rugby)",
        "farewell": r"see (?:you|ya) (?:on )?(?:\w+day|tomorrow|then|soon|later)",
        "availability": r"(?:is|are) (?:she|he|you) free (?:this weekend|at the weekend|tonight"
                        r"|later|on (?:saturday|friday) night)"
                        r"|free this weekend",
        "fine": r"(?:is|are|feels?|feeling|looks?) (?:\w+ )?(?:fine|great|good|perfect|better)"
                r"|all (?:good|fine|healed)|no (?:problems?|issues?)|perfect|healed"
                r"|thanks?|thank you|cheers|love (?:my|the|them)|amazing|lovely",
        "worry": r"is (?:that|it|this) (?:normal|bad|ok|okay|serious)|should i (?:be )?worr\w*"
                 r"|worried",
        "flirt": r"go out|going out|take you (?:out|for)|buy you|my place|fancy an?"
                 r"|grab a (?:drink|coffee|bite)|(?:drinks?|dinner|coffee|movie) (?:with me"
                 r"|sometime|tonight)|wanna (?:go|grab|get|come|hang)|on a date|hang out"
                 r"|after your shift|miss you(?! all| guys| both)|thinking (?:of|about) you"
                 r"|dream(?:t|ed) (?:about|of) you|love you|in love with you"
                 r"|your (?:personal |private |own )?(?:cell|mobile)|personal number"
                 r"|private number|privately|are you free tonight|free tonight|your insta"
                 r"|(?:what are you|are you) doing (?:\w+ )?(?:tonight|night|weekend|later)"
                 r"|seeing (?:anyone|someone)|are you taken|is (?:she|he) taken"
                 r"|ask (?:her|him) out|date you|take (?:her|him) out"
                 r"|get to know you|take (?:u|you|her|him) out"
                 r"|you look(?:ed)? (?:amazing|stunning|gorgeous|hot|beautiful|lovely|fit)",
        "address": r"you re|youre|you are|u r|ur|you look|u look",
        "looks": r"gorgeous|beautiful|cute|hot|pretty|stunning|sexy|handsome",
        "eyes": r"eyes|voice|lips|legs",
        "vocative": r"beautiful|gorgeous|sexy|babe|baby|darling|honey|sweetheart|cutie",
        "partner": r"boyfriend|girlfriend|husband|wife|single|married",
        "hostile": r"sue|suing|sued|thie(?:f|ves)|crooks?"
                   r"|scam\w*|rip ?off|fraud\w*|incompetent|useless|clowns?|idiots?"
                   r"|morons?|stupid|rude|pathetic|disgrace\w*|disgusting|shame on you"
                   r"|bastards?|bitch\w*|go to hell|piss off|liars?"
                   r"|(?:you re|youre|what) a joke|one star|1 star|smash\w*|shut down"
                   r"|what kind of (?:practice|clinic|service|place)|worst (?:dentist|practice"
                   r"|clinic|service)|you ll regret|youll see|you ll see"
                   r"|cowboys|never again"
                   r"|worst (?:\w+ ){0,2}(?:dentist|practice|clinic|service|experience|place)"
                   r"|never (?:coming|going) back|won t be back|wont be back|disgrace\w*|shambles"
                   r"|joke"
                   r"|clueless|amateurs?|cowboys"
                   r"|(?:terrible|horrible|awful|appalling|shocking|disgusting) (?:service"
                   r"|experience|practice|clinic|reception|staff|treatment)"
                   r"|going to the papers|trading standards"
                   r"|ridiculous|report(?:ing)? you|complain(?:t|ing)? to|gdc|ombudsman"
                   r"|taking the piss|having a laugh",
        "admin": r"appointments?|appt\w*|book\w*|reschedul\w*|cancel\w*|postpone\w*"
                 r"|confirm\w*|invoice\w*|receipts?|payments?|pay|paid|paying|transfer"
                 r"|reminder|instal?ments|quote|costs?|how much|price\w*|fees?|open"
                 r"|opening|closed|hours|insurance|bupa|denplan|claim|note for work"
                 r"|sick note|charged|charge|cash|money|refund\w*|check ?up|card|bill\w*"
                 r"|statement|slots?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|thurs"
                 r"|close|closes|closing|what time|park|parking|address|directions|postcode"
                 r"|how do i get|late|letter|note|whitening|check up"
                 r"|bus|train|station|tube|subway|metro"
                 r"|come in|make it|can t make|cant make|available"
                 r"|(?:a|another|my next) clean(?:ing)?|scale and polish"
                 r"|x ?rays?|treatment plan|records|resend|send (?:me|over)|email me|forward",
    },
    "pt": {
        "pain": r"dor|dores|doi|doe|doem|doer|doendo|doeu|dolorid\w*|latej\w*|sensivel"
                r"|sensibilidade|ardendo|arde|ardencia|incomodando|me incomoda|pontadas?|fisgadas?"
                r"|(?:ta|to|esta|me) (?:me )?matando|doida|doido|dolorid\w*"
                r"|incomod(?:a|am|ando|ado|ada|ou)|pontada\w*|sensibilidade",
        "swelling": r"inch[aoe]\w*|inflamad\w*|inflamacao",
        "bleeding": r"sangr\w*|sangue|hemorragi\w*",
        "symptom": r"abscesso|(?:com|de|saindo|sai) pus|infeccao|infeccionad\w*|infectad\w*"
                   r"|aftas?|ferida\w*|carie\w*|nao consigo (?:abrir|fechar|mastigar|comer)"
                   r"|machuc\w*"
                   r"|mau halito|halitose|bafo",
        "broken": r"quebr\w*|las[cq]\w*|trincad\w*|saiu"
                  r"|fratur\w*|rachad[oa]|rachou",
        "detached": r"caiu|soltou|solt[oa]|mancha\w*|bolinha|caroco|buraco|pontinho preto"
                    r"|perdi|perdeu|espet\w*|cortando|afiad[oa]|arranh\w*"
                    r"|descol\w*|desgrud\w*|soltou",
        "loose": r"moles?|mexendo|balanc\w*",
        "object": r"dentes?|molar\w*|obturacao|restauracao|coroa|gengiva\w*|aparelho"
                  r"|bracket\w*|fio|dentadura|protese|implante|boca|lingua|siso|bochecha"
                  r"|mandibula|ponte|canal"
                  r"|dentinho\w*|alinhador\w*|invisalign|contencao|pontos|nervo|raiz|extracao"
                  r"|provisori[oa]|provisoria"
                  r"|lentes? de contato|faceta\w*|lente",
        "trauma": r"cai|caiu|caido|queda|bati|bateu|batida|bolada|acidente|soco|pancada"
                  r"|tombo|tropec\w*|cotovelada"
                  r"|jogando|futebol|bola|bicicleta|bike|briga|escorreg\w*"
                  r"|bati (?:com|a boca|o dente|a cara)|batida|pancada|tombo",
        "site": r"olhos?|palpebra|pescoco|garganta",
        "spread": r"espalhando|aumentando|cada vez maior"
                  r"|piorando|piorou|(?:cada vez|ta|esta|muito) pior|rosto todo|todo o rosto"
                  r"|cara toda|toda a cara",
        "airway": r"engolir|engulo|respir\w*|falta de ar|sufoc\w*|engasg\w*",
        "fever": r"febre|temperatura",
        "painkiller": r"dipirona|paracetamol|ibuprofeno|novalgina|dorflex|analgesic\w*"
                      r"|remedios?|tylenol|nimesulida"
                      r"|neosaldina|buscofem|advil|cetoprofeno|toragesic|antibiotico\w*",
        "persist": r"nao passa|nao (?:faz|fez) efeito|nao adianta|continua|insuportavel"
                   r"|mesmo assim|ainda"
                   r"|nao (?:resolve|resolveu|adianta|adiantou|ajuda|ajudou|melhora|melhorou)"
                   r"|nem com",
        "bleed_persist": r"continua|nao para|nao estanca|gaze|ainda"
                         r"|sem parar|nao para de",
        "stopped": r"parou|estancou",
        "trismus": r"nao consigo abrir (?:\w+ )?boca|nao abre (?:\w+ )?boca",
        "aftercare": r"(?:posso|devo|pode) (?:\w+ )?"
                     r"(?:comer|beber|tomar|fumar|bochechar|escovar|lavar)"
                     r"|o que (?:eu )?(?:devo|tenho que) fazer|o que eu faco"
                     r"|fazer (?:exercicio|academia)|ir na academia|treinar",
        "farewell": r"(?:ate|nos vemos|te vejo) (?:a |o |na |no )?(?:segunda|terca|quarta|quinta"
                    r"|sexta|sabado|domingo|amanha|logo|mais)",
        "availability": r"(?:ta|esta) livre (?:hoje a noite|sabado|no fds|no fim de semana|depois)",
        "fine": r"(?:ta|esta|to|estou|fic\w*) (?:\w+ )?(?:bem|otim[oa]|perfeit[oa])"
                r"|tudo (?:bem|certo|ok|otimo|perfeito)|perfeit[oa]|curad[oa]|sarou"
                r"|nenhum problema"
                r"|obrigad[oa]|valeu|amei|adorei|lind[oa]s?",
        "worry": r"e normal|(?:devo|tenho que) (?:me )?preocupar|e grave|e ruim",
        "flirt": r"vamos jantar|jantar comigo|sair comigo|te pagar um|pagar um cafe"
                 r"|tomar uma|tomar alguma coisa|te levo|bora (?:tomar|sair)|la em casa"
                 r"|um encontro|assistir um filme|saudades?|sonhei com (?:vc|voce|tu|ti)"
                 r"|penso em (?:vc|voce)|te amo|te adoro|apaixonad\w*"
                 r"|(?:seu|teu) (?:numero|zap|whats)|numero pessoal|no privado"
                 r"|livre hoje a noite|livre hj a noite|seu insta"
                 r"|(?:vc|voce) vai fazer (?:\w+ ){0,2}(?:noite|fds|fim de semana)"
                 r"|sai comigo|tem namorad[oa]"
                 r"|te conhecer melhor|chamar (?:ela|ele|vc|voce) pra sair"
                 r"|(?:vc|voce|tu) tem (?:insta|instagram)"
                 r"|te espero (?:na saida|la fora)|quando vc sai do trabalho",
        "address": r"vc e|voce e|vc fica|voce fica|vc ta|vc esta|tu e|tu es|ce e|vc eh",
        "looks": r"lind[ao]s?|gat[ao]|gostos[ao]|fof[ao]|maravilhos[ao]|bonit[ao]"
                 r"|charmos[ao]|sexy|gatinh[ao]",
        "eyes": r"olhos|olhar|voz|labios|pernas",
        "vocative": r"linda|gata|gostosa|gatinha|princesa|sexy|delicia",
        "partner": r"namorad[oa]|marido|esposa|solteir[oa]|casad[oa]"
                   r"|namora\w*",
        "hostile": r"processar|procon|ladr(?:ao|oes|ona)|golpist\w*"
                   r"|picaret\w*|incompetent\w*|inuteis|idiota\w*|burr[oa]s?|gross[oa]s?"
                   r"|lixo|vai se (?:ferrar|foder|danar|lascar)"
                   r"|pro inferno|palhac\w*|bando de|absurdo|roubo|roubando"
                   r"|uma piada|sacanagem|desrespeito|quebro tudo"
                   r"|fechar(?:em)? (?:essa|esta|a) clinica|uma estrela|reclame aqui"
                   r"|vcs vao ver|voces vao ver|que clinica e essa"
                   r"|pior (?:\w+ ){0,2}(?:clinica|dentista|atendimento|servico|experiencia|lugar)"
                   r"|nunca mais (?:volto|piso|venho)|nao volto mais"
                   r"|porcaria|descaso"
                   r"|(?:atendimento|servico|clinica) (?:\w+ )?(?:horrivel|pessim[oa]|ridicul[oa])"
                   r"|(?:horrivel|pessim[oa]) (?:atendimento|servico)"
                   r"|conselho regional|cro|ridicul\w*|falta de respeito",
        "admin": r"consultas?|marc\w*|remarc\w*|desmarc\w*|agend\w*|adiar|cancel\w*"
                 r"|confirm\w*|fatura|nota fiscal|nota|recibo|pagamento|pag[aou]\w*|pix"
                 r"|boleto|cobranc\w*|cobr\w*|parcel\w*|orcamento|cust[ao]|quanto|preco"
                 r"|abrem|abert[oa]|fechad[oa]|horario\w*|convenio|plano|reembols\w*"
                 r"|atestado|cpf|dinheiro|avaliacao|revisao|segunda|terca|quarta|quinta|sexta"
                 r"|sabado|bolso|cartao|reais|valor|imposto"
                 r"|fecha|fecham|abre|que horas|estacion\w*|endereco|onde fica|como chego|rua"
                 r"|atras\w*|clareamento"
                 r"|onibus|metro|estacao|trem"
                 r"|(?:nao )?(?:vou conseguir|consigo|posso) ir|comparecer|vaga"
                 r"|(?:uma|outra|fazer (?:uma|a)) limpeza"
                 r"|raio x|radiografia\w*|declaracao|comprovante|laudo|plano de tratamento"
                 r"|me manda|mandar",
    },
}  # fmt: skip

# Word families for advances and complaints, added after a probe set (probe3) showed
# flirt and hostile missed in unseen wording. Merged into LEX below: a key LEX already
# has is extended ("|"), a new one added.
#   hostile_weak: profanity, shame, legal words; hostile only when the message is no
#     booking or payment, or when aimed at the practice (next to "you", "siete", "la
#     clinica"), or said in anger (see grievance and the !!/CAPS markers in triage.py)
#   praise: "cavolo che bello!", "damn you guys are good": surprise, no complaint
#   grievance: repetition and exasperation ("di nuovo", "otra vez", "fed up")
#   thou: second person singular, to tell "che occhi che hai" from "che bel sorriso mi
#     avete fatto"
#   you: second person, to tell "vi denuncio" from "mi serve la fattura per l'avvocato"
#   venue: the practice and its service, to tell "vergüenza de clínica" from "qué
#     vergüenza, me equivoqué de día"
#   outing + together: an invitation ("un caffè io e te", "dinner with me")
#   features + you: looks of the reader ("che occhi che hai", "you have a lovely smile")
#   child: a pet name about one's child is no advance ("il mio amore ha 5 anni")
#   title: a formal opening ("Querida doctora") is no pet name
#   ruined: damage done by the practice ("mi avete rovinato", "you butchered")
#   definite: an article that makes thieves a story ("mi sono entrati i ladri")
FAMILIES = {
    "it": {
        "hostile": r"cazz\w*|minchi\w*|porc[ao] (?:miseria|puttana|vacca|troia)|puttanat\w*"
                   r"|scandalos\w*|indecent\w*|inaccettabil\w*|vergognos\w*"
                   r"|fa(?:te|nno|i) schifo|(?:fa|faccio|faro|faremo|fargli) causa"
                   r"|vi (?:denuncio|querelo|porto in tribunale)|non finisce qui"
                   r"|(?:1|una) stell[ae]|recensione (?:negativa|pessima)"
                   r"|pessim[ie]|incapac\w*|incompetent\w*|banda di|branco di"
                   r"|mi (?:avete|hanno) (?:\w+ )?(?:rovinat\w*|distrutt\w*|massacrat\w*"
                   r"|fregat\w*|truffat\w*|derubat\w*)|mi prendete in giro|presi in giro",
        "hostile_weak": r"denunc\w*|querel\w*|avvocat\w*|legale|carabinieri|polizia"
                        r"|merd\w*|cavolo|cavoli|mannaggia|vergogna|accidenti|diamine"
                        r"|ridicol\w*|assurd\w*|stuf[oai]",
        "grievance": r"ancora una volta|di nuovo|un altra volta|(?:seconda|terza|quarta) volta"
                     r"|ogni volta|sempre la stessa|per niente|a vuoto"
                     r"|nessuno (?:mi )?(?:risponde|richiama|chiama)|mai una volta|sono stanc[oa]",
        "you": r"vi|voi|siete|avete|vostr[oaie]|ve|sei|hai|ti|te|tu|tuo|tua|tuoi|tue|lei",
        "praise": r"bell[oa]|bellissim\w*|brav\w*|ottim\w*|fantastic\w*|grazie|complimenti"
                  r"|perfett\w*|stupend\w*|top",
        "thou": r"sei|hai|ti|te|tu|tuo|tua|tuoi|tue|lei|sei liber[oa]|finisci|stacchi",
        "venue": r"studio|clinica|servizio|segreteria|reception|posto|dentist\w*|dottor\w*",
        "outing": r"caffe|caffettino|aperitiv\w*|apericena|cena|cenare|cenetta|pranzo|pranzare"
                  r"|drink|birra|bere qualcosa|uscire|usciamo|uscita|passeggiata|cinema",
        "together": r"io e te|noi due|con me|insieme|ti (?:va|andrebbe|porto|offro|invito)"
                    r"|ti (?:posso|potrei) (?:offrire|invitare|portare)|vuoi|ti porterei"
                    r"|solo noi|da soli",
        "features": r"occhi|sorriso|sorrisi|capelli|labbra|fisico|corpo|viso|sguardo|voce"
                    r"|mani|gambe",
        "looks": r"bellissim\w*|stupend\w*|meraviglios\w*|favolos\w*|incantevol\w*"
                 r"|divin[ao]|bell[ao]|bel|carin\w*|dolcissim[ao]|sexy|da urlo",
        "address": r"eri|stavi|sembravi|sei propri[oa]|lei e propri[oa]",
        "vocative": r"amore mio|tesor(?:o|uccio)|cucciol[ao]|stellina|piccola|dolcezza"
                    r"|bellezza|splendore|principessa|gioia|pupa|bambolina|cara mia",
        "flirt": r"mi manchi|mi mancherai|ti penso|penso (?:sempre )?a te|pensando a te"
                 r"|(?:ho )?sognat[oa] (?:di )?te|ti sogno|mi fai impazzire|mi hai stregat\w*"
                 r"|(?:essere|sei|fossi) la mia (?:ragazza|fidanzata)|un bacio a te"
                 r"|ti bacerei|mi fai (?:sciogliere|battere il cuore)",
        "child": r"figli[oa]|figli|bimb[oa]|bambin[oa]|piccol[oa] di casa|nipot\w*|anni",
        "title": r"dottoressa|dottore|dott|dottor|signora|dottori|staff|ragazze|tutti",
        "ruined": r"rovinat\w*|distrutt\w*|massacrat\w*|fregat\w*",
        "definite": r"i|gli|il|la|le",
    },
    "es": {
        "hostile": r"joder|jodid[oa]s?|hostia\w*|coño|cono|puta|putada|me cago|cagada"
                   r"|vergonzos\w*|escandalos\w*|inaceptable|indignante|lamentable"
                   r"|(?:1|una) estrella|resena (?:negativa|mala)|mala resena"
                   r"|(?:os|les) (?:denuncio|voy a denunciar|demando)|(?:oficina de )?consumo"
                   r"|consumidores|facua|omic|esto no (?:se )?queda asi"
                   r"|sinverguenz\w*|incompetentes?|inutiles|banda de|panda de"
                   r"|me (?:habeis|han|has) (?:\w+ )?(?:destrozad\w*|arruinad\w*|estafad\w*"
                   r"|robad\w*|jodid\w*|fastidiad\w*)|me (?:destrozaron|arruinaron|estafaron"
                   r"|robaron|engañaron|enganaron)|hecha? un desastre|(?:me|nos) tomais el pelo",
        "admin": r"(?:dar|dais|das|pedir|coger|darme) hora|hora para|(?:la )?semana que viene",
        "hostile_weak": r"denunci\w*|abogad\w*|policia|mierda|verguenza|que asco|ridicul\w*"
                        r"|absurd\w*|maldita sea|narices|hart[oa]s?",
        "grievance": r"otra vez|de nuevo|(?:segunda|tercera|cuarta) vez|cada vez|siempre lo mismo"
                     r"|para nada|ya esta bien"
                     r"|nadie (?:me )?(?:responde|contesta|llama)|estoy cansad[oa]",
        "you": r"os|vosotros|vosotras|sois|habeis|vuestr[oa]s?|ustedes|eres|tienes|tu|tus|te|ti"
               r"|usted",
        "praise": r"bonit\w*|genial|buenisim\w*|crack|gracias|perfect\w*"
                  r"|maravill\w*|buen[oa]s?|increible",
        "thou": r"eres|tienes|tu|tus|te|ti|usted|estas libre|sales|terminas",
        "venue": r"clinica|consulta|servicio|atencion|recepcion|sitio|dentista|centro",
        "outing": r"cafe|cafecito|cana|canas|cerveza|copa|copas|cena|cenar|cenamos|comer juntos"
                  r"|tomar algo|salir|salimos|cita|paseo|cine|vino",
        "together": r"tu y yo|conmigo|juntos|juntas|nosotros dos|los dos|te (?:invito|apetece"
                    r"|llevo|gustaria)|quieres|a solas|solos",
        "features": r"ojos|sonrisa|pelo|cabello|labios|cuerpo|cara|mirada|voz|manos|piernas",
        "looks": r"guap\w*|precios\w*|bonit\w*|lind\w*|hermos\w*|bell[ao]|buenisim[ao]"
                 r"|divin[ao]|encantador\w*|sexy|de infarto",
        "address": r"estabas|estas|eras|eres|te ves|te veias|estas (?:muy|tan)",
        "vocative": r"mi amor|amor|mi vida|cariño|carino|cielo|corazon|mi reina|reina|bombon"
                    r"|nena|preciosa|guapisima|mami|mamacita|querid[ao](?! (?:doctor\w*|dra|dr"
                    r"|equipo|senora|senor|todos))|bonita|linda",
        "flirt": r"pens(?:ar|ando|ado)? en ti|no dejo de pensar|te (?:echo|extrano) de menos"
                 r"|te extrano|te extranare|extranandote|sone contigo|sonando contigo"
                 r"|me (?:tienes|traes|vuelves) loc[oa]|me encantas|me gustas"
                 r"|(?:seas|fueras|ser) mi novi[ao]|un beso para ti|te comeria",
        "child": r"hij[oa]s?|nin[oa]s?|nene|peque|pequen[oa]|sobrin\w*|nieto\w*|anos|años",
        "title": r"doctora|doctor|dra|dr|senora|equipo|todos|chicas",
        "ruined": r"destroz\w*|arruin\w*",
        "definite": r"los|las|el|la",
    },
    "en": {
        "hostile": r"wtf|what the (?:hell|heck|fuck)|the hell|bloody (?:hell|joke|useless)"
                   r"|shameful|disgraceful|unprofessional|outrageous|scandalous|unacceptable"
                   r"|appalling|atrocious|incompetent|pathetic|clowns?|joke of a"
                   r"|worst (?:\w+ ){0,2}(?:office|surgery|team|staff|receptionist)"
                   r"|(?:1|one) star|attorney|dental board|board of|reporting you|report you"
                   r"|you (?:\w+ )?(?:ruined|butchered|destroyed|wrecked|botched|scammed"
                   r"|robbed|screwed)|ripped me off|rip off|overcharged me|this isn t over"
                   r"|this isnt over|you ll hear from|(?:bad|negative|terrible) review",
        "admin": r"visits?|rebook\w*|squeez\w* (?:me|us) in|fit (?:me|us) in",
        "hostile_weak": r"lawyers?|solicitors?|police|fuck\w*|shit\w*|damn\w*|crap\w*|bloody"
                        r"|hell|ridiculous|absurd|overcharg\w*|sue|fed up|sick of"
                        r"|sick and tired|had enough",
        "grievance": r"again|once more|(?:second|third|fourth) time|every (?:single )?time"
                     r"|nobody|no one|in a row|so long",
        "you": r"you|your|ya|youre|yours|u|ur",
        "praise": r"good|great|amazing|awesome|brilliant|thanks?|thank you"
                  r"|perfect|best|fire|legends?|lovely",
        "thou": r"you|your|ya|youre|u|ur",
        "venue": r"clinic|practice|office|service|surgery|place|reception|dentist|team|staff",
        "outing": r"coffee|coffees|drink|drinks|beer|beers|dinner|lunch|movie|movies"
                  r"|wine|cocktails?",
        "together": r"with me|just us|just the two of us|us two|together|you and me|you and i"
                    r"|fancy|wanna|want to grab|grab|let me take you|take you|buy you|my treat",
        "features": r"eyes|smile|hair|lips|body|face|voice|legs",
        "looks": r"gorgeous|beautiful|stunning|pretti\w*|pretty|cute\w*|hot|hotter|hottest"
                 r"|sexy|handsome|breathtaking|adorable",
        "address": r"you looked|u looked|you were|u were",
        "vocative": r"babe|baby|honey|hun|hon|sweetie|sweetheart|sweetpea|darling|cutie"
                    r"|sunshine|princess|doll|gorgeous|beautiful|handsome"
                    r"|sexy|hottie|dear(?! (?:doctor|dr|doc|all|team|staff|sir|madam))",
        "flirt": r"(?:miss(?:ing)?|missed) you(?! all| guys| both)"
                 r"|can t stop thinking|cant stop thinking"
                 r"|thinking (?:of|about) you|dream(?:t|ed|ing)? (?:about|of) you|crush on you"
                 r"|(?:be|were) my (?:\w+ ){0,3}(?:girlfriend|boyfriend|valentine|date)"
                 r"|you drive me (?:crazy|wild)|kiss you|date (?:me|you)",
        "child": r"son|daughter|kids?|child|children|boy|girl|little one|grandson"
                 r"|granddaughter|toddler|years? old|she s \d+|he s \d+",
        "title": r"doctor|dr|doc|madam|sir|team|staff|all",
        "ruined": r"ruined|butchered|destroyed|wrecked|botched",
        "definite": r"the",
    },
    "pt": {
        "hostile": r"puta que pariu|pqp|fdp|vtnc|merdinha|bosta|vergonhos\w*|escandalos\w*"
                   r"|inaceitavel|absurd\w*|falta de profissionalismo|amador\w*"
                   r"|nao vai ficar assim|isso nao fica assim|(?:1|uma) estrela|queixa"
                   r"|reclamacao formal|reclame aqui|procon"
                   r"|avaliacao (?:\w+ )?(?:pessima|negativa|ruim)|(?:pessima|negativa) avaliacao"
                   r"|defesa do consumidor|cro"
                   r"|incompetent\w*|bando de|cambada de|picaret\w*|palhac\w*"
                   r"|(?:voces|vcs|vc|voce) (?:\w+ )?(?:estragaram|estragou|destruiram|destruiu"
                   r"|arruinaram|arruinou|enganaram|roubaram)|me (?:enganaram|roubaram"
                   r"|estragaram|ferraram)|estragaram|arruinaram",
        "admin": r"demor(?:a|ar|ando|ou)|esperando (?:ha|faz)",
        "hostile_weak": r"advogad\w*|policia|denunci\w*|processo|porra|merda|caralho"
                        r"|vergonha|droga|ridicul\w*|fart[oa]|cansei",
        "grievance": r"de novo|outra vez|mais uma vez|(?:segunda|terceira|quarta) vez|toda vez"
                     r"|sempre a mesma|pra nada"
                     r"|ninguem (?:me )?(?:atende|responde|liga)|sem avisar",
        "you": r"voces|vcs|vc|voce|ce|tu|te|ti|teu|tua|seu|sua",
        "praise": r"lind\w*|otim\w*|maravilh\w*|obrigad\w*|perfeit\w*|bo[am]|demais|top|incrivel",
        "thou": r"voce|vc|ce|tu|te|ti|teu|tua|seu|sua|(?:ta|esta|tas) livre|sai|termina",
        "venue": r"clinica|consultorio|atendimento|servico|recepcao|lugar|dentista",
        "outing": r"cafe|cafezinho|chopp|chope|cerveja|cerva|breja|drink|jantar|jantarmos"
                  r"|almoco|almocar|sair|cinema|vinho|barzinho|happy hour",
        "together": r"eu e (?:voce|vc|tu)|so nos|so nos dois|nos dois|comigo|juntos|juntas"
                    r"|bora|vamos|quer|topa|te (?:levo|pago|convido|chamo)",
        "features": r"olhos|sorriso|cabelo|labios|boca|corpo|rosto|olhar|voz|maos|pernas",
        "looks": r"lind\w*|gat[ao]|gostos\w*|maravilhos\w*|bonit\w*|charmos\w*|sexy"
                 r"|gatinh\w*|divin[ao]|deslumbrante|encantador\w*",
        "address": r"voce tava|vc tava|voce estava|vc estava|tu tava|tu estava",
        "vocative": r"meu amor|amor|minha linda|meu bem|gatona|gatinha|fofa|lindeza|bb|bebe"
                    r"|princesa|querid[ao](?! (?:doutor\w*|dra|dr|equipe|senhora|todos))|linda"
                    r"|gata|delicia|minha flor|flor",
        "flirt": r"saudades? (?:de (?:voce|vc|ti|tu)|sua|tua)|que saudade|to com saudade"
                 r"|morrendo de saudade|pens(?:o|ando|ei) em (?:voce|vc|ti|tu)"
                 r"|nao paro de pensar|sonhei com (?:voce|vc|ti)|me deixa louc[oa]"
                 r"|(?:ser|fosse) (?:minha|meu) namorad[ao]|um beijo pra (?:voce|vc|ti)"
                 r"|beijo(?:s|ca|cas)? (?:pra|para) (?:voce|vc|ti)",
        "child": r"filh[oa]s?|crianc\w*|menin[oa]s?|net[oa]s?|sobrinh\w*|pequen[oa]|anos"
                 r"|amorzinho|bebe",
        "title": r"doutora|doutor|dra|dr|senhora|equipe|todos|meninas",
        "ruined": r"estrag\w*|destru\w*|arruin\w*",
        "definite": r"os|as|o|a",
    },
}  # fmt: skip
for _code, _families in FAMILIES.items():
    for _cat, _fragments in _families.items():
        _old = LEX[_code].get(_cat)
        LEX[_code][_cat] = f"{_old}|{_fragments}" if _old else _fragments

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
    "traffico", "trafico", "traffic", "transito", "testa", "cabeza", "cabeca", "head",
    "schiena", "espalda", "costas", "pancia",
    "barriga", "stomaco", "estomago", "stomach", "papeleo", "burocrazia", "burocracia",
}  # fmt: skip
# Verbs of stopping: "parou de doer", "ha smesso di sanguinare", "stopped hurting".
CEASE = {
    "it": {"smesso", "smessa", "finito"},
    "es": {"dejo", "deja", "paro"},
    "en": {"stopped", "quit"},
    "pt": {"parou", "deixou"},
}
# Just after a symptom, words saying it is over: "il dolore è passato", "the swelling
# has gone", "la dor passou" (unless a negator or a breaker comes first).
PASSED = {
    "it": r"(?:e |si e |mi e )?(?:passat[oa]|sparit[oa]|andat[oa] via|sgonfiat[oa])",
    "es": r"(?:ya )?(?:se (?:me |le )?(?:fue|paso|quito)|desaparec\w*|se deshincho)",
    "en": r"(?:has |is |s )?(?:gone|went away|disappeared|cleared up|settled)",
    "pt": r"(?:ja )?(?:passou|sumiu|desinchou)",
}
# After a negator, words that make it sleeplessness or endurance, not absence: "non ho
# dormito per il dolore", "no aguanto el dolor", "can t sleep with this pain".
INABILITY = (
    r"dorm\w*|durm\w*|sleep\w*|slept|aguant\w*|aguent\w*|resist\w*|sopport\w*|stand"
    r"|bear|cope|concentr\w*|mangi\w*|com[oie]|comer|eat\w*|ate|mastig\w*|mastic\w*"
    r"|chew\w*|lavor\w*|trabaj\w*|trabalh\w*|work\w*"
)
# Shorthand as typed, per language, rewritten to the word the lists spell out.
ALIASES = {
    "it": {"nn": "non", "nun": "non", "xke": "perche", "xk": "perche", "xche": "perche",
           "ke": "che", "cmq": "comunque", "qnd": "quando", "qdo": "quando", "sn": "sono",
           "tt": "tutto", "dott": "dottore", "dotto": "dottore", "qlc": "qualche"},
    "es": {"q": "que", "xq": "porque", "pq": "porque", "porq": "porque", "xk": "porque",
           "tb": "tambien", "tmb": "tambien", "d": "de", "x": "por", "dra": "doctora",
           "dr": "doctor", "k": "que"},
    "en": {"u": "you", "pls": "please", "plz": "please", "thx": "thanks", "tmrw": "tomorrow",
           "tmr": "tomorrow", "coz": "because", "cuz": "because", "bc": "because",
           "b4": "before", "cnt": "cant", "dnt": "dont", "rly": "really"},
    "pt": {"n": "nao", "nn": "nao", "pq": "porque", "qdo": "quando", "qnd": "quando",
           "tb": "tambem", "tbm": "tambem", "tmb": "tambem", "td": "tudo", "mt": "muito",
           "mto": "muito", "dps": "depois", "msm": "mesmo", "q": "que", "dnv": "de novo"},
}  # fmt: skip
# Near a pain word, a body part that is no tooth: "my back is killing me".
FIGURATIVE_PHRASES = r"(?<!\w)my (?:back|legs?|feet|knees?|stomach|tummy)(?!\w)"
# Objects that name a treatment more than a tooth: "do you do invisalign?" is an enquiry.
TREATMENT = (
    r"apparecchio|brace\w*|aparato|aparelho|invisalign|alineador\w*|aligner\w*"
    r"|allineator\w*|alinhador\w*|ortodon\w*|implant\w*|impiant\w*|extraction|extraccion"
    r"|extracao|retainer\w*|mascherin[ae]"
)
