"""The words of the keyword registry, as data: keyword -> language -> words.

Read by conversations/keywords.py, which owns the matching; this module only lists words.
The first word of a language is the one shown in that language's messages ("Responda SIM
ou NAO"), so it is the spelling people type on a phone: plain letters where the language
allows (NAO, not NÃO), the language's own script where it has one (ДА, نعم, ஆம்).
STOP and START are shown in English in every language: phone networks and Twilio know
them, and a participant who learnt them once should never have to learn them again.

Arabic, Bulgarian and Tamil also list the Latin transliterations people type on an
English keyboard (NAAM, DA, AAM). Every word of the languages added by issue 17 (all but
en and pl) is a machine-assisted choice that needs review by a native speaker; the
English and Polish words are always understood as well, whatever the language.

Words are matched whole and language-blind: "NE" is NO (Lithuanian, Bulgarian) whoever
sends it, which is why a word that is an everyday whole message in another shipped
language ("ALTRO", Italian for "other", is a choice answer) is left out.
"""

from __future__ import annotations

from enum import StrEnum


class Keyword(StrEnum):
    STOP = "STOP"  # the opt-out family: stop every message at once
    START = "START"  # undo STOP
    HELP = "HELP"  # the helplines
    SKIP = "SKIP"
    BACK = "BACK"
    DELETE = "DELETE"  # erase contact details and, within the window, answers
    EXIT = "EXIT"  # leave now and remove the bot's messages where possible
    MORE = "MORE"
    JOIN = "JOIN"
    PRIVACY = "PRIVACY"  # what is kept, for how long, and DELETE: the consent in full
    YES = "YES"
    NO = "NO"


WORDS: dict[Keyword, dict[str, tuple[str, ...]]] = {
    Keyword.STOP: {
        "en": (
            "STOP",
            "STOPALL",
            "STOP ALL",
            "UNSUBSCRIBE",
            "CANCEL",
            "END",
            "QUIT",
            "REVOKE",
            "OPTOUT",
            "OPT OUT",
        ),
        "pl": ("STOP", "KONIEC", "REZYGNUJĘ", "WYPISZ", "WYPISZ MNIE"),
        "pt": ("STOP", "PARAR", "CANCELAR", "DESCADASTRAR"),
        "es": ("STOP", "PARAR", "BAJA", "DETENER", "CANCELAR"),
        "fr": ("STOP", "ARRÊT", "ARRÊTER", "DÉSABONNER", "DÉSINSCRIRE"),
        "tr": ("STOP", "DUR", "DURDUR", "İPTAL"),
        "so": ("STOP", "JOOJI", "JOOJI FARRIIMAHA"),
        "lt": ("STOP", "STABDYTI", "SUSTABDYTI", "ATSISAKYTI"),
        "ro": ("STOP", "OPREȘTE", "DEZABONARE", "DEZABONEAZĂ"),
        "bg": ("STOP", "СТОП", "СПРИ", "SPRI", "ОТПИШИ", "OTPISHI"),
        # tawaqqaf (stop), ilgha' (cancel), ilgha' al-ishtirak (unsubscribe).
        "ar": (
            "STOP",
            "توقف",
            "إلغاء",
            "إلغاء الاشتراك",
            "TAWAQQAF",
            "TAWAKKAF",
            "ILGHAA",
        ),
        "ta": ("STOP", "நிறுத்து", "NIRUTHU", "NIRUTTU"),
        "it": ("STOP", "BASTA", "FERMA", "ANNULLA", "DISISCRIVIMI"),
        # Urdu as it is usually texted, in Latin letters ("band karo" = "stop it").
        "ur": ("STOP", "BAND KARO", "BAS KARO"),
    },
    Keyword.START: {
        "en": ("START", "UNSTOP"),
        "pl": ("START", "WZNÓW"),
        "pt": ("START", "INICIAR", "COMEÇAR"),
        "es": ("START", "EMPEZAR", "ALTA"),
        "fr": ("START", "COMMENCER", "REPRENDRE"),
        "tr": ("START", "BAŞLA"),
        "so": ("START", "BILOW"),
        "lt": ("START", "PRADĖTI"),
        "ro": ("START", "PORNEȘTE"),
        "bg": ("START", "СТАРТ", "ЗАПОЧНИ", "ZAPOCHNI"),
        "ar": ("START", "ابدأ", "IBDA"),
        "ta": ("START", "தொடங்கு", "THODANGU", "TODANGU"),
        "it": ("START", "INIZIA", "RIPRENDI"),
    },
    Keyword.HELP: {
        "en": ("HELP", "INFO"),
        "pl": ("POMOC", "HELP", "INFO"),
        "pt": ("AJUDA",),
        "es": ("AYUDA",),
        "fr": ("AIDE",),
        "tr": ("YARDIM",),
        "so": ("CAAWI", "CAAWIMAAD", "I CAAWI"),
        "lt": ("PAGALBA", "PADĖKITE"),
        "ro": ("AJUTOR",),
        "bg": ("ПОМОЩ", "POMOSHT", "POMOST", "POMOSH"),
        "ar": ("مساعدة", "MUSAADA", "MOSAADA", "MUSAADAH"),
        "ta": ("உதவி", "UTHAVI", "UDHAVI", "UDAVI"),
        "it": ("AIUTO",),
    },
    Keyword.SKIP: {
        "en": ("SKIP", "NEXT"),
        "pl": ("POMIN", "POMIŃ", "DALEJ", "SKIP"),
        "pt": ("SALTAR", "PULAR", "PRÓXIMA"),
        "es": ("SALTAR", "SIGUIENTE"),
        "fr": ("PASSER", "SUIVANT"),
        "tr": ("ATLA", "GEÇ"),
        "so": ("BOOD", "KA BOOD"),
        "lt": ("PRALEISTI", "TOLIAU"),
        "ro": ("SARI", "SARI PESTE"),
        "bg": ("ПРОПУСНИ", "PROPUSNI", "НАПРЕД", "NAPRED"),
        "ar": ("تخطي", "تخطى", "TAKHATTI", "TAKHATA"),
        "ta": ("தவிர்", "THAVIR", "TAVIR"),
        "it": ("SALTA", "AVANTI"),
    },
    Keyword.BACK: {
        "en": ("BACK",),
        "pl": ("WSTECZ", "COFNIJ", "WRÓĆ", "BACK"),
        "pt": ("VOLTAR",),
        "es": ("ATRAS", "VOLVER"),
        "fr": ("RETOUR",),
        "tr": ("GERİ",),
        "so": ("DIB", "GADAAL"),
        "lt": ("ATGAL",),
        "ro": ("ÎNAPOI",),
        "bg": ("НАЗАД", "NAZAD"),
        "ar": ("رجوع", "RUJOO", "RUJU"),
        "ta": ("பின்செல்", "PINSEL", "PINSELL"),
        "it": ("INDIETRO",),
    },
    Keyword.DELETE: {
        "en": ("DELETE", "DELETE ME"),
        "pl": ("USUN", "USUŃ", "USUŃ MNIE", "DELETE"),
        "pt": ("APAGAR",),
        "es": ("BORRAR",),
        "fr": ("SUPPRIMER", "EFFACER"),
        "tr": ("SİL",),
        "so": ("TIRTIR",),
        "lt": ("IŠTRINTI",),
        "ro": ("ȘTERGE",),
        "bg": ("ИЗТРИЙ", "IZTRII", "IZTRIY", "IZTRIJ"),
        "ar": ("حذف", "HATHF", "HAZF", "HADHF"),
        "ta": ("நீக்கு", "NEEKKU", "NIKKU"),
        "it": ("CANCELLA", "ELIMINA"),
    },
    Keyword.EXIT: {
        "en": ("EXIT",),
        "pl": ("WYJDZ", "WYJDŹ", "EXIT"),
        "pt": ("SAIR",),
        "es": ("SALIR",),
        "fr": ("SORTIR", "QUITTER"),
        "tr": ("ÇIK",),
        "so": ("BAX", "KA BAX"),
        "lt": ("IŠEITI",),
        "ro": ("IEȘIRE", "IEȘI"),
        "bg": ("ИЗХОД", "IZHOD"),
        "ar": ("خروج", "KHUROOJ", "KHURUJ"),
        "ta": ("வெளியேறு", "VELIYERU", "VELIYERU"),
        "it": ("ESCI",),
    },
    Keyword.MORE: {
        "en": ("MORE",),
        "pl": ("WIECEJ", "WIĘCEJ", "MORE"),
        "pt": ("MAIS",),
        "es": ("MAS",),
        "fr": ("PLUS",),
        "tr": ("DAHA", "DAHA FAZLA"),
        "so": ("DHEERAAD", "WAX KALE"),
        "lt": ("DAUGIAU",),
        "ro": ("MAI MULT",),
        "bg": ("ОЩЕ", "OSHTE", "OSHTE"),
        "ar": ("المزيد", "MAZEED", "ALMAZEED"),
        "ta": ("மேலும்", "MELUM", "MAELUM"),
        "it": ("DI PIU", "DI PIÙ"),
    },
    Keyword.JOIN: {
        "en": ("JOIN",),
        "pl": ("DOLACZ", "DOŁĄCZ", "JOIN"),
        "pt": ("ENTRAR", "PARTICIPAR"),
        "es": ("UNIRME", "UNIRSE"),
        "fr": ("REJOINDRE", "INSCRIRE"),
        "tr": ("KATIL",),
        "so": ("KU BIIR", "BIIR"),
        "lt": ("PRISIJUNGTI",),
        "ro": ("ÎNSCRIE",),
        "bg": ("ВКЛЮЧИ", "VKLYUCHI", "VKLJUCHI"),
        "ar": ("انضم", "INDAM", "INDHAM"),
        "ta": ("சேர்", "SER", "CHER"),
        "it": ("ISCRIVIMI", "UNISCITI"),
    },
    Keyword.PRIVACY: {
        "en": ("PRIVACY",),
        "pl": ("PRYWATNOSC", "PRYWATNOŚĆ", "PRIVACY"),
        "pt": ("PRIVACIDADE",),
        "es": ("PRIVACIDAD",),
        "fr": ("CONFIDENTIALITE", "VIE PRIVÉE"),
        "tr": ("GİZLİLİK",),
        "so": ("ASTURNAAN", "ASTURNAANTA", "QARSOODI"),
        "lt": ("PRIVATUMAS",),
        "ro": ("CONFIDENTIALITATE",),
        "bg": ("ПОВЕРИТЕЛНОСТ", "POVERITELNOST"),
        "ar": ("الخصوصية", "KHUSUSIYA", "KHUSOOSIYA"),
        "ta": ("தனியுரிமை", "THANIYURIMAI"),
        "it": ("RISERVATEZZA", "PRIVACY"),
    },
    Keyword.YES: {
        "en": ("YES", "Y", "YEAH", "YEP", "YUP", "YA", "SURE", "OK", "OKAY", "YES PLEASE"),
        "pl": ("TAK", "TAK PROSZĘ", "OK"),
        "pt": ("SIM",),
        "es": ("SI", "VALE"),
        "fr": ("OUI", "D'ACCORD"),
        "tr": ("EVET", "TAMAM"),
        "so": ("HAA", "HAYE"),
        "lt": ("TAIP",),
        "ro": ("DA",),
        "bg": ("ДА", "DA"),
        "ar": ("نعم", "NAAM", "NAM", "AYWA"),
        "ta": ("ஆம்", "AAM", "AAMA", "AMAM"),
        "it": ("SI", "VA BENE"),
    },
    Keyword.NO: {
        "en": ("NO", "N", "NAH", "NOPE", "NO THANKS", "NO THANK YOU"),
        "pl": ("NIE", "NIE DZIĘKUJĘ"),
        "pt": ("NAO", "NÃO"),
        "es": ("NO", "NO GRACIAS"),
        "fr": ("NON", "NON MERCI"),
        "tr": ("HAYIR",),
        "so": ("MAYA", "MAYO"),
        "lt": ("NE",),
        "ro": ("NU",),
        "bg": ("НЕ", "NE"),
        "ar": ("لا", "LA", "LAA"),
        "ta": ("இல்லை", "ILLAI", "ILLA"),
        "it": ("NO", "NO GRAZIE"),
    },
}
