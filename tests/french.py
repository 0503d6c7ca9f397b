"""The messages the tests expect, in one place: each English msgid and its French text.

The French catalogue (locale/fr/LC_MESSAGES/django.po) must translate each msgid to
exactly this text; align one with the other when either changes
(tests/plato/test_i18n.py lists every difference at once). `fr(msgid, **params)` gives
the French message with its placeholders filled, `en(...)` the English one.

Apostrophes are typographic (’), quotes are « » with plain spaces, as in the catalogue.
"""

# --- members/validators.py ---
SIRET_LETTERS = "A SIRET contains only digits; “%(value)s” has other characters."
SIRET_LENGTH = "A SIRET has 14 digits (9 for the SIREN, 5 for the establishment); you typed %(count)d."
SIRET_SPACING = "Write the SIRET as 14 digits without spaces, e.g. %(compact)s."
SIREN_CHECK_DIGIT = (
    "The SIREN part %(siren)s of this SIRET is not valid (wrong check digit): check the first 9 digits."
)
SIRET_CHECK_DIGIT = "The SIRET %(value)s is not valid (wrong check digit): check the last 5 digits."
NAF_FORMAT = (
    "A NAF/APE code is written as 2 digits, a dot, 2 digits and a letter, e.g. 62.01Z; “%(value)s” is not."
)
NAF_UNKNOWN = (
    "%(value)s is not a code of the NAF rév. 2 nomenclature (732 sub-classes): "
    "check it on the company's Kbis or INSEE notice."
)
# --- members/models.py (help text of the SIRET field) ---
SIRET_HELP = "14 digits, e.g. 552 100 554 00013."
# --- members/views.py ---
COMPANY_CREATED = "The company %(name)s was created."
PERSON_ADDED = "%(name)s was added. They can sign in after choosing a password with “Forgotten password”."
# --- groups/models.py (chapter constraints) and groups/views.py ---
MIN_OVER_MAX = "The minimum group size cannot exceed the maximum."
VAT_WITHOUT_EXEMPTION = "A chapter that charges no VAT must state the exemption wording."
CHAPTER_SAVED = "The chapter's settings were saved."
# --- plato/context_processors.py, templates/plato/home_*.html, groups/roles.py ---
HOME = "Home"
HELLO = "Hello, %(name)s"
WELCOME = "Welcome to Plato, %(name)s"
ADMINISTRATOR, COORDINATOR, FACILITATOR = "Administrator", "Coordinator", "Facilitator"
MEMBER, SPONSOR, ALUMNI = "Member", "Sponsor", "Alumni"

FRENCH = dict(
    [
        (
            SIRET_LETTERS,
            "Un SIRET ne contient que des chiffres ; « %(value)s » contient d’autres caractères.",
        ),
        (
            SIRET_LENGTH,
            "Un SIRET comporte 14 chiffres (9 pour le SIREN, 5 pour l’établissement) ; "
            "vous en avez saisi %(count)d.",
        ),
        (SIRET_SPACING, "Écrivez le SIRET en 14 chiffres sans espaces, par exemple %(compact)s."),
        (
            SIREN_CHECK_DIGIT,
            "La partie SIREN %(siren)s de ce SIRET n’est pas valide (mauvaise clé de contrôle) : "
            "vérifiez les 9 premiers chiffres.",
        ),
        (
            SIRET_CHECK_DIGIT,
            "Le SIRET %(value)s n’est pas valide (mauvaise clé de contrôle) : vérifiez les 5 derniers chiffres.",
        ),
        (
            NAF_FORMAT,
            "Un code NAF/APE s’écrit avec 2 chiffres, un point, 2 chiffres et une lettre, "
            "par exemple 62.01Z ; « %(value)s » ne respecte pas ce format.",
        ),
        (
            NAF_UNKNOWN,
            "%(value)s n’est pas un code de la nomenclature NAF rév. 2 (732 sous-classes) : "
            "vérifiez-le sur le Kbis ou l’avis de situation INSEE de l’entreprise.",
        ),
        (SIRET_HELP, "14 chiffres, par exemple 552 100 554 00013."),
        (COMPANY_CREATED, "L’entreprise %(name)s a été créée."),
        (
            PERSON_ADDED,
            "%(name)s a été ajouté·e. Cette personne pourra se connecter après avoir choisi "
            "un mot de passe avec « Mot de passe oublié ».",
        ),
        (MIN_OVER_MAX, "La taille minimale d’un groupe ne peut pas dépasser la taille maximale."),
        (
            VAT_WITHOUT_EXEMPTION,
            "Une antenne qui ne facture pas de TVA doit indiquer la mention d’exonération.",
        ),
        (CHAPTER_SAVED, "Les réglages de l’antenne ont été enregistrés."),
        (HOME, "Accueil"),
        (HELLO, "Bonjour %(name)s"),
        (WELCOME, "Bienvenue sur Plato, %(name)s"),
        (ADMINISTRATOR, "Administrateur"),
        (COORDINATOR, "Coordinateur"),
        (FACILITATOR, "Animateur"),
        (MEMBER, "Membre"),
        (SPONSOR, "Parrain"),
        (ALUMNI, "Ancien membre"),
    ]
)

# Messages of Django and allauth themselves, translated by their own catalogues.
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."
THIRD_PARTY_FRENCH = {
    INVALID_CHOICE: "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles.",
    TOO_MANY_ATTEMPTS: "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement.",
}


def fr(msgid: str, **params) -> str:
    text = FRENCH.get(msgid) or THIRD_PARTY_FRENCH[msgid]
    return text % params if params else text


def en(msgid: str, **params) -> str:
    return msgid % params if params else msgid
