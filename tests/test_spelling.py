"""Spelling of staff free text, offline, in the patient's language (pyspellchecker)."""

import pytest

from dental_whatsapp.tools import spelling
from dental_whatsapp.tools.spelling import DENTAL_WORDS, check_spelling
from dental_whatsapp.tools.text_checks import Finding, find_clinical_advice

# Everyday reception messages: no word in them is reported.
CORRECT = [
    ("it", "Buongiorno signora Rossi, le confermo l'appuntamento di lunedì alle 9:30 "
           "con il dott. Bianchi."),
    ("it", "Gentile paziente, la preghiamo di portare la radiografia e l'ortopantomografia."),
    (
        "it",
        "Può venire domani alle 15:00? Il dottore farà l'otturazione del molare in basso a destra.",
    ),
    ("it", "La fattura è disponibile su https://studio.it/fattura o scriva a "
           "info@studiorossi.it. Grazie!"),
    ("it", "Ci scusi per il ritardo, c'è stato un imprevisto. Per spostare "
           "l'appuntamento ci chiami al 06 1234567."),
    ("it", "Mi dispiace, oggi lo studio è chiuso per ferie. Riapriamo martedì 3 settembre."),
    ("it", "Sì, può pagare con bancomat, carta di credito o bonifico "
           "(IBAN IT60X0542811101000000123456)."),
    ("it", "Dopo l'igiene eviti di mangiare per un'ora. Un po' di sensibilità è normale."),
    ("it", "Le ricordiamo che la seduta di sbiancamento dura circa un'ora e mezza."),
    ("it", "Domani c\u2019è la visita di controllo, ricordi di portare la tessera sanitaria."),
    ("it", "L'appuntamento è confermato, a presto!"),
    ("it", "Abbiamo ricevuto la sua richiesta, la ricontatteremo entro stasera."),
    (
        "it",
        "Buonasera, il preventivo per l'impianto è pronto: può passare a ritirarlo quando vuole.",
    ),
    ("it", "Le abbiamo fissato la devitalizzazione per giovedì 12/03 alle 10."),
    ("it", "Il dottore le consiglia di usare lo scovolino e il filo interdentale ogni sera."),
    ("it", "Se ha dolore o gonfiore ci chiami subito, grazie."),
    ("it", "Ci dispiace per il disagio, la richiamiamo appena il dottore è libero."),
    ("it", "La seduta dall'igienista dura circa 45 minuti."),
    ("it", "Per disdire l'appuntamento ci avvisi almeno 24 ore prima, per favore."),
    ("it", "Grazie per averci scritto, le rispondiamo al più presto."),
    ("es", "Buenos días, le confirmamos la cita del lunes a las 10:00 con la doctora García."),
    ("es", "¿Puede venir mañana por la tarde? Tenemos un hueco a las 17:30."),
    ("es", "La factura está disponible en su área de paciente. Gracias por su paciencia."),
    ("es", "Le recordamos que debe traer la radiografía y el informe del dentista anterior."),
    ("es", "Disculpe el retraso, el doctor tuvo una urgencia. ¿Le viene bien el jueves?"),
    ("es", "Hola, su presupuesto para el implante ya está listo."),
    ("es", "Si tiene dolor o inflamación, llámenos cuanto antes."),
    ("es", "Le hemos dado cita para la endodoncia el martes a las 9:30."),
    ("es", "Por favor, avísenos con 24 horas de antelación si no puede venir."),
    ("es", "Muchas gracias por escribirnos, le respondemos lo antes posible."),
    ("es", "La limpieza dura unos 45 minutos y no duele."),
    ("es", "Puede pagar con tarjeta, en efectivo o por transferencia."),
    ("es", "Estamos cerrados por vacaciones hasta el 2 de septiembre."),
    ("es", "El doctor le llamará esta tarde para explicarle el tratamiento."),
    ("en", "Hi Mr Smith, your appointment is confirmed for Tuesday at 2:30pm."),
    ("en", "Could you please bring your X-ray and the referral letter? Thanks!"),
    ("en", "We're sorry for the delay, the dentist had an emergency. Would Thursday suit you?"),
    (
        "en",
        "Your invoice is available in the patient portal. Let us know if you have any questions.",
    ),
    ("en", "Your hygienist appointment lasts about 45 minutes."),
    ("en", "Please let us know 24 hours in advance if you can't make it."),
    ("en", "The dentist will call you this afternoon to explain the treatment plan."),
    ("en", "We're closed for the holidays until 2 September."),
    ("pt", "Bom dia, confirmamos a sua consulta de segunda-feira às 10h00 com a Dra. Silva."),
    ("pt", "Pode vir amanhã à tarde? Temos uma vaga às 17:30."),
    ("pt", "A fatura está disponível na sua área de paciente. Obrigado pela paciência."),
    ("pt", "Lembramos que deve trazer a radiografia e o orçamento do tratamento."),
    ("pt", "Desculpe o atraso, o dentista teve uma urgência. Quinta-feira fica bem para si?"),
    ("pt", "O seu orçamento para o implante já está pronto."),
    ("pt", "Se tiver dor ou inchaço, ligue-nos o quanto antes."),
    ("pt", "Marcámos a desvitalização para terça-feira às 9:30."),
    ("pt", "Por favor, avise-nos com 24 horas de antecedência se não puder vir."),
    ("pt", "Muito obrigada pela mensagem, respondemos assim que possível."),
    ("pt", "A limpeza dura cerca de 45 minutos."),
    ("pt", "Pode pagar com cartão, em dinheiro ou por transferência."),
    ("it", "Salve, volevo ricordarle che domani mattina ha la pulizia dei denti alle 8:45."),
    ("it", "Ci sono novità sul preventivo? Il dottore vorrebbe sapere se ha deciso."),
    ("it", "Purtroppo il laboratorio non ha ancora consegnato la corona, la avviseremo noi."),
    ("it", "Le chiediamo gentilmente di arrivare dieci minuti prima per compilare il modulo."),
    ("it", "Abbiamo un posto libero venerdì pomeriggio, le andrebbe bene?"),
    ("it", "Il pagamento si può fare anche a rate, ne parliamo alla prossima visita."),
    ("it", "Mi scusi, non riesco a trovare la sua prenotazione: mi conferma il nome?"),
    ("it", "La aspettiamo con la mascherina e il referto dell'ultima visita."),
    ("it", "Certo, le mandiamo subito la ricevuta per la detrazione fiscale."),
    ("it", "Il suo bambino può venire con la mamma o con il papà, come preferite."),
    ("es", "Hola, quería recordarle que mañana por la mañana tiene la limpieza a las 8:45."),
    ("es", "¿Hay novedades sobre el presupuesto? El doctor querría saber si lo ha decidido."),
    ("es", "Lamentablemente el laboratorio todavía no ha entregado la corona, le avisaremos."),
    ("es", "Le pedimos que llegue diez minutos antes para rellenar el formulario."),
    ("es", "Tenemos un hueco libre el viernes por la tarde, ¿le vendría bien?"),
    ("es", "El pago se puede hacer a plazos, lo hablamos en la próxima visita."),
    ("es", "Disculpe, no encuentro su reserva: ¿me confirma el nombre?"),
    ("es", "Le esperamos con la mascarilla y el informe de la última visita."),
    ("es", "Claro, le enviamos ahora mismo el recibo."),
    ("es", "Su hijo puede venir con su madre o con su padre, como prefieran."),
    ("pt", "Olá, queria lembrar que amanhã de manhã tem a limpeza às 8:45."),
    ("pt", "Há novidades sobre o orçamento? O doutor gostaria de saber se já decidiu."),
    ("pt", "Infelizmente o laboratório ainda não entregou a coroa, avisaremos assim que chegar."),
    ("pt", "Pedimos que chegue dez minutos antes para preencher o formulário."),
    ("en", "Hello, just a reminder that you have your cleaning tomorrow morning at 8:45."),
    ("en", "Unfortunately the lab hasn't delivered the crown yet, we'll let you know."),
    ("en", "We have a free slot on Friday afternoon, would that work for you?"),
    ('it', 'Il dottore ha detto di evitare cibi duri per qualche giorno.'),
    ('it', 'La seduta di ortodonzia è spostata a sabato mattina.'),
    ('it', 'Per il pagamento può usare la partita IVA della ditta.'),
    ('it', "Le consigliamo di non fumare dopo l'estrazione."),
    ('it', 'Abbiamo un posto libero alle 11, le va bene?'),
    ('it', 'Siamo in Piazza del Duomo, accanto alla farmacia.'),
    ('it', 'La visita è gratuita per i bambini sotto i 6 anni.'),
    ('it', 'Il giovedì lo studio chiude alle 13 per la formazione del personale.'),
    ('it', 'Può venire con il suo compagno, nessun problema.'),
    ('it', 'Ha ragione, la chiamiamo noi appena arriva il referto.'),
    ('it', 'Le mando il modulo del consenso informato, lo firmi e lo porti.'),
    ('it', 'Il bite va portato tutte le notti.'),
    ('it', "Abbiamo spostato l'appuntamento di sua figlia a martedì."),
    ('it', 'Il laboratorio ci ha mandato la protesi, può venire a provarla.'),
    ('it', 'Buongiorno, sono Giulia della segreteria dello Studio Santangelo.'),
    ('it', 'Per la fattura elettronica ci serve il codice fiscale e la PEC.'),
    ('es', 'El doctor ha dicho que evite alimentos duros unos días.'),
    ('es', 'Le esperamos en la consulta número 2, a la derecha.'),
    ('es', 'Podemos adelantar la cita si le viene mejor.'),
    ('es', 'La factura se la enviamos por correo electrónico.'),
    ('es', 'Su seguro cubre la limpieza una vez al año.'),
    ('es', 'No se preocupe, es normal notar sensibilidad.'),
    ('es', 'Tenemos parking en la calle de atrás.'),
    ('es', 'Gracias por avisar, cancelamos la cita del viernes.'),
    ('en', 'Your crown is ready, we can fit it on Thursday.'),
    ('en', "The dentist says it's normal to feel some sensitivity."),
    ('en', 'We have parking at the back of the building.'),
    ('en', "Thanks for letting us know, we've cancelled Friday's appointment."),
    ('en', 'Please fill in the medical history form before your visit.'),
    ('en', 'Is your son still playing rugby? Bring his mouthguard to be checked.'),
    ('en', "We're next to St Mary's church on the high street."),
    ('pt', 'O doutor disse para evitar alimentos duros durante uns dias.'),
    ('pt', 'A consulta é no gabinete 2, à direita.'),
    ('pt', 'Podemos antecipar a consulta se for melhor para si.'),
    ('pt', 'O seu seguro cobre a limpeza uma vez por ano.'),
    ('pt', 'Não se preocupe, é normal sentir alguma sensibilidade.'),
    ('pt', 'Obrigado por avisar, desmarcámos a consulta de sexta.'),
    ('pt', 'Fique tranquilo, está tudo bem.'),
    ('it', 'Ci hanno chiesto di spostare la visita, le andrebbe bene mercoledì alle 17?'),
    ('it', 'Il dottore le ha prescritto una pasta desensibilizzante, la trova in farmacia.'),
    ('it', 'Appena avremo i risultati la contatteremo per fissare la prossima seduta.'),
    ('it', "Stiamo aspettando la conferma dell'assicurazione, vi aggiorniamo a breve."),
    ('it', 'Le mandiamo in allegato il preventivo aggiornato con le due corone.'),
    ('it', "Si ricordi di spazzolare delicatamente la zona dell'impianto."),
    ('it', "Siamo spiacenti, ma non possiamo anticipare l'appuntamento."),
    ('it', 'Non si preoccupi, capita spesso dopo la pulizia.'),
    ('it', "Vorremmo sapere come si sente dopo l'estrazione di ieri."),
    ('it', 'Potrebbe mandarci una foto della zona gonfia?'),
    ('es', 'Nos han pedido cambiar la visita, ¿le iría bien el miércoles a las 17?'),
    ('es', 'Cuando tengamos los resultados le llamaremos para fijar la próxima sesión.'),
    ('es', 'Estamos esperando la confirmación del seguro, le informaremos pronto.'),
    ('es', 'Le adjuntamos el presupuesto actualizado con las dos coronas.'),
    ('es', 'Recuerde cepillar con cuidado la zona del implante.'),
    ('es', 'Sentimos no poder adelantar la cita.'),
    ('es', 'No se preocupe, pasa a menudo después de la limpieza.'),
    ('es', 'Quisiéramos saber cómo se encuentra después de la extracción de ayer.'),
    ('es', '¿Podría enviarnos una foto de la zona inflamada?'),
    ('en', 'They asked us to move the visit, would Wednesday at 5pm work?'),
    ('en', "Once we have the results we'll contact you to book the next session."),
    ('en', "We're waiting for the insurer's confirmation and will update you shortly."),
    ('en', 'Please find attached the updated estimate with the two crowns.'),
    ('en', 'Remember to brush gently around the implant.'),
    ('en', 'Could you send us a photo of the swollen area?'),
    ('pt', 'Pediram-nos para mudar a consulta, quarta-feira às 17h dá jeito?'),
    ('pt', 'Quando tivermos os resultados entraremos em contacto para marcar a próxima sessão.'),
    ('pt', 'Estamos à espera da confirmação do seguro, daremos notícias em breve.'),
    ('pt', 'Enviamos em anexo o orçamento atualizado com as duas coroas.'),
    ('pt', 'Lembre-se de escovar com cuidado a zona do implante.'),
    ('pt', 'Poderia enviar-nos uma foto da zona inchada?'),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text"), CORRECT)
def test_a_correct_reception_message_has_no_finding(lang, text):
    assert check_spelling(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "word", "suggestion"),
    [
        # accent-less Italian: the accented word first
        ("it", "Le scrivo perche domani siamo chiusi.", "perche", "perché"),
        ("it", "La aspettiamo lunedi alle 10.", "lunedi", "lunedì"),
        ("it", "Arrivi piu tardi, per favore.", "piu", "più"),
        ("it", "Il dottore è gia in studio.", "gia", "già"),
        ("it", "Domani la citta è chiusa al traffico.", "citta", "città"),
        ("it", "Cosi va bene, grazie.", "Cosi", "Così"),  # a word, but not here
        ("it", "Il paziente e' arrivato.", "e'", "è"),  # the accent typed as an apostrophe
        ("it", "La richiamiamo apena possibile.", "apena", "appena"),
        ("it", "Abbiamo spostato la sua otturazone.", "otturazone", "otturazione"),
        ("es", "Tambien le recuerdo la cita.", "Tambien", "También"),
        ("es", "Le confirmamos la cita del miercoles.", "miercoles", "miércoles"),
        ("es", "Gracias por su pacienca.", "pacienca", "paciencia"),
        ("en", "Your apointment is tomorrow.", "apointment", "appointment"),
        ("en", "We recieve patients from 9.", "recieve", "receive"),
        ("pt", "Voce pode vir amanhã?", "Voce", "Você"),
        ("pt", "Nao temos vaga hoje.", "Nao", "Não"),
        ("pt", "Não temos vaga amanha.", "amanha", "amanhã"),
        ("pt_BR", "Obrigado pela sua mensagen.", "mensagen", "mensagem"),
    ],
)
def test_a_typo_is_reported_with_its_correction_first(lang, text, word, suggestion):
    (finding,) = check_spelling(text, lang)
    assert finding.kind == "spelling" and finding.reason == "unknown"
    assert finding.match == word == text[finding.start : finding.end]
    assert finding.suggestions[0] == suggestion
    assert len(finding.suggestions) <= 3


def test_a_typo_after_an_elision_is_reported_on_its_word():
    text = "L'appuntamneto è confermato."
    (finding,) = check_spelling(text, "it")
    assert (finding.match, finding.start) == ("appuntamneto", 2)
    assert finding.suggestions[0] == "appuntamento"


@pytest.mark.parametrize(
    "text",
    [
        "Le scriviamo dal nostro sito https://www.studiorossi.it/prenota?id=42",
        "Ci scriva a segreteria@studiorossi.it o su studiorossi.it",
        "Appuntamento il 12/03/2026 alle 09:30, stanza 3B, codice AB12CD.",
        "Importo: 1.250,00 €, rata n. 2 di 10.",
        "Grazie 🙂🦷👍🏽",
        "Ci serve l'IBAN e il codice CUP per la RX.",
        "Il dott. Zappalà e la sig.ra Kowalczyk la aspettano.",  # names, not at the start
        "La aspettiamo con Xiomara in segreteria.",
    ],
)
def test_what_is_not_a_word_is_skipped(text):
    assert check_spelling(text, "it") == []


def test_known_words_are_the_practice_staff_patients_and_medicines():
    text = "Zappalà la richiama domani. Può prendere il moment se ha dolore."
    assert [f.match for f in check_spelling(text, "it")] == ["Zappalà", "moment"]
    known = ("Studio Dentistico Zappalà", "Moment")  # several words, any case
    assert check_spelling(text, "it", known_words=known) == []


@pytest.mark.parametrize("word", ["amoxicillina", "ibuprofene", "clorexidina",
    "paracetamolo", "otturazione", "devitalizzazione", "ortopantomografia", "igienista",
    "canino", "premolari", "radiografia", "colluttorio", "scovolino"])  # fmt: skip
def test_dental_terms_and_medicines_are_known_in_italian(word):
    assert check_spelling(f"Serve {word}.", "it") == []


def test_the_dental_lists_hold_words_the_dictionaries_lack():
    from spellchecker import SpellChecker  # noqa: PLC0415

    for code, words in DENTAL_WORDS.items():
        plain = SpellChecker(language=code, distance=1)
        assert len(words.split()) >= 5
        assert plain.unknown(words.split()), code


@pytest.mark.parametrize(
    ("lang", "text"),
    [("es", "Gracias, le esperamos. Llámenos si no puede venir."),  # plural, verb, pronoun
     ("es", "Le avisaremos cuando llegue la corona."),
     ("it", "Rispondiamo appena possibile, ritirarlo è semplice."),
     ("it", "Le sanitarie e i sanitari.")],
)  # fmt: skip
def test_inflections_of_listed_words_are_known(lang, text):
    assert check_spelling(text, lang) == []


@pytest.mark.parametrize("lang", [None, "", "fr", "de_DE", "xx"])
def test_an_unknown_language_has_no_dictionary_and_no_finding(lang):
    assert check_spelling("Perche piu tardi? Mercii", lang) == []


def test_language_codes_with_a_country():
    assert check_spelling("Perche", "it_IT") and check_spelling("Perche", "it-CH")
    assert check_spelling("", "it") == [] and check_spelling(None, "it") == []


def test_each_dictionary_is_loaded_once_per_process():
    assert spelling._checker("it") is spelling._checker("it")


def test_the_other_checks_have_no_suggestions():
    assert Finding("emoji", "x", 0, 1, "ambiguous").suggestions == ()
    assert all(f.suggestions == () for f in find_clinical_advice("serve un antibiotico"))
