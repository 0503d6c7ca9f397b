"""The demo's data: invented Morbihan companies, sponsors, candidates, topics and local
networks, read by the builders (demo/builders/).

Towns and postcodes are real Morbihan ones, NAF codes real sub-classes; names are invented.
"""

from dataclasses import dataclass

from groups.enums import CandidateState
from members.enums import SizeBand


@dataclass(frozen=True)
class DemoCompany:
    name: str
    naf_code: str
    size_band: str
    address: str
    postcode: str
    town: str
    leader: tuple[str, str, str]  # first name, last name, job title


MORBIHAN_COMPANIES = [
    DemoCompany(
        "Kerlann Informatique",
        "62.01Z",
        SizeBand.SMALL,
        "12 rue du Commerce",
        "56000",
        "Vannes",
        ("Gwenaël", "Le Floch", "Gérant"),
    ),
    DemoCompany(
        "Fournil de la Rabine",
        "10.71C",
        SizeBand.MICRO,
        "4 place de la Rabine",
        "56000",
        "Vannes",
        ("Maëlle", "Jégo", "Artisane boulangère"),
    ),
    DemoCompany(
        "Atelier Nautique du Golfe",
        "30.12Z",
        SizeBand.SMALL,
        "ZA de Kergrippe",
        "56860",
        "Séné",
        ("Erwan", "Le Gall", "Président"),
    ),
    DemoCompany(
        "Transports Le Goff",
        "49.41A",
        SizeBand.MEDIUM,
        "Parc d'activités de Kerjean",
        "56500",
        "Locminé",
        ("Yann", "Le Goff", "Directeur général"),
    ),
    DemoCompany(
        "Brasserie de l'Oust",
        "11.05Z",
        SizeBand.MICRO,
        "2 rue des Forges",
        "56120",
        "Josselin",
        ("Anne", "Rouxel", "Brasseuse, gérante"),
    ),
    DemoCompany(
        "Menuiserie Guillo",
        "43.32A",
        SizeBand.SMALL,
        "8 rue de la Gare",
        "56800",
        "Ploërmel",
        ("Pierre", "Guillo", "Gérant"),
    ),
    DemoCompany(
        "Cabinet Le Bihan Expertise",
        "69.20Z",
        SizeBand.SMALL,
        "15 cours de Chazelles",
        "56100",
        "Lorient",
        ("Soizic", "Le Bihan", "Expert-comptable associée"),
    ),
    DemoCompany(
        "Armor Marée Distribution",
        "46.38A",
        SizeBand.MEDIUM,
        "Port de pêche de Keroman",
        "56100",
        "Lorient",
        ("Loïc", "Kerhervé", "Directeur"),
    ),
    DemoCompany(
        "Hôtel Les Salines",
        "55.10Z",
        SizeBand.SMALL,
        "3 boulevard de la Plage",
        "56340",
        "Carnac",
        ("Claire", "Bourhis", "Directrice"),
    ),
    DemoCompany(
        "Garage Tanguy",
        "45.20A",
        SizeBand.MICRO,
        "21 rue Nationale",
        "56300",
        "Pontivy",
        ("Ronan", "Tanguy", "Gérant"),
    ),
    DemoCompany(
        "Océane Paysages",
        "81.30Z",
        SizeBand.SMALL,
        "Zone de Toul Garros",
        "56400",
        "Auray",
        ("Nolwenn", "Le Corre", "Gérante"),
    ),
    DemoCompany(
        "Biscuiterie de la Presqu'île",
        "10.72Z",
        SizeBand.SMALL,
        "Route du Fort Penthièvre",
        "56170",
        "Quiberon",
        ("Tangi", "Le Mouël", "Président"),
    ),
    DemoCompany(
        "Imprimerie du Blavet",
        "18.12Z",
        SizeBand.SMALL,
        "6 rue des Tanneurs",
        "56700",
        "Hennebont",
        ("Sylvie", "Guégan", "Directrice"),
    ),
    DemoCompany(
        "Agence Ty Com",
        "73.11Z",
        SizeBand.MICRO,
        "9 rue Paul Bert",
        "56100",
        "Lorient",
        ("Mathieu", "Caradec", "Fondateur"),
    ),
    DemoCompany(
        "Électricité Morvan",
        "43.21A",
        SizeBand.SMALL,
        "ZA du Lindrin",
        "56250",
        "Elven",
        ("Gildas", "Morvan", "Gérant"),
    ),
    DemoCompany(
        "Kervoyal Plastiques",
        "22.29A",
        SizeBand.MEDIUM,
        "Zone de Kerpont",
        "56600",
        "Lanester",
        ("Isabelle", "Nicol", "Présidente"),
    ),
    DemoCompany(
        "Optique Celtique",
        "47.78A",
        SizeBand.MICRO,
        "27 rue Saint-Vincent",
        "56000",
        "Vannes",
        ("Julien", "Le Texier", "Opticien, gérant"),
    ),
    DemoCompany(
        "Huîtres Le Dréan",
        "03.21Z",
        SizeBand.MICRO,
        "Chantier ostréicole du Guilvin",
        "56740",
        "Locmariaquer",
        ("Morgane", "Le Dréan", "Ostréicultrice"),
    ),
    DemoCompany(
        "Breizh RH Conseil",
        "70.22Z",
        SizeBand.MICRO,
        "5 allée Loïc Caradec",
        "56000",
        "Vannes",
        ("Hélène", "Lozach", "Consultante, gérante"),
    ),
    DemoCompany(
        "Cidrerie du Loch",
        "11.03Z",
        SizeBand.MICRO,
        "Lieu-dit Kerdréan",
        "56400",
        "Brech",
        ("Alain", "Le Pen", "Producteur"),
    ),
    DemoCompany(
        "Naval Services Lorient",
        "33.15Z",
        SizeBand.SMALL,
        "Base de sous-marins, bloc K3",
        "56100",
        "Lorient",
        ("Franck", "Le Roux", "Directeur"),
    ),
    DemoCompany(
        "Scierie de Brocéliande",
        "16.10A",
        SizeBand.SMALL,
        "La Ville Jégu",
        "56800",
        "Ploërmel",
        ("Bertrand", "Josse", "Gérant"),
    ),
    DemoCompany(
        "Marine Bio Innovation",
        "72.11Z",
        SizeBand.SMALL,
        "PIBS, rue Yves Mainguy",
        "56000",
        "Vannes",
        ("Laure", "Quéré", "Présidente"),
    ),
    DemoCompany(
        "Golfe Immobilier",
        "68.31Z",
        SizeBand.MICRO,
        "1 place de l'Église",
        "56370",
        "Sarzeau",
        ("Stéphane", "Allanic", "Gérant"),
    ),
    DemoCompany(
        "Crêperie Ar Men",
        "56.10A",
        SizeBand.MICRO,
        "11 rue de la Monnaie",
        "56000",
        "Vannes",
        ("Katell", "Riou", "Gérante"),
    ),
    DemoCompany(
        "Voyages de l'Argoat",
        "79.11Z",
        SizeBand.MICRO,
        "2 quai du Couvent",
        "56300",
        "Pontivy",
        ("Éric", "Le Moing", "Gérant"),
    ),
    DemoCompany(
        "Métallerie Hervé",
        "25.11Z",
        SizeBand.SMALL,
        "ZI de Beauséjour",
        "56890",
        "Plescop",
        ("Vincent", "Hervé", "Gérant"),
    ),
    DemoCompany(
        "Ambulances du Porhoët",
        "86.90A",
        SizeBand.SMALL,
        "4 rue du Porhoët",
        "56490",
        "Mauron",
        ("Sandrine", "Briand", "Gérante"),
    ),
    DemoCompany(
        "Couverture Le Priol",
        "43.91B",
        SizeBand.MICRO,
        "Kerhouant",
        "56520",
        "Guidel",
        ("Thomas", "Le Priol", "Artisan couvreur"),
    ),
    DemoCompany(
        "Librairie Vent d'Ouest",
        "47.61Z",
        SizeBand.MICRO,
        "18 rue du Port",
        "56400",
        "Auray",
        ("Chantal", "Evano", "Libraire"),
    ),
]

SPONSOR_COMPANIES = [
    DemoCompany(
        "Chantiers Navals de l'Atlantique Sud",
        "30.11Z",
        SizeBand.LARGE,
        "Rue de l'Arsenal",
        "56100",
        "Lorient",
        ("Philippe", "Le Strat", "Directeur des opérations"),
    ),
    DemoCompany(
        "Crédit Maritime Armoricain",
        "64.19Z",
        SizeBand.LARGE,
        "2 rue Thiers",
        "56000",
        "Vannes",
        ("Catherine", "Le Bras", "Directrice régionale"),
    ),
    DemoCompany(
        "Celtic Agroalimentaire",
        "10.13A",
        SizeBand.LARGE,
        "ZI du Gourandel",
        "56300",
        "Pontivy",
        ("Jean-Marc", "Daniel", "Directeur industriel"),
    ),
]


@dataclass(frozen=True)
class DemoCandidate:
    company_name: str
    naf_code: str
    postcode: str
    town: str
    first_name: str
    last_name: str
    state: str = CandidateState.QUALIFIED
    motivation: str = ""
    decline_reason: str = ""


# Leaders who want to join the next cohorts: enough qualified ones for the composer to
# form two groups, with the clusters real pools have (three bakeries, two electricians:
# one bakery cannot be placed with only two groups).
CANDIDATES = [
    DemoCandidate("Boulangerie du Port", "10.71C", "56100", "Lorient", "Tugdual", "Le Roux"),
    DemoCandidate("Fournil de Kervignac", "10.71C", "56700", "Kervignac", "Morgane", "Guillou"),
    DemoCandidate("Pains et Gâteaux d'Auray", "10.71D", "56400", "Auray", "Yannick", "Le Corre"),
    DemoCandidate("Électricité Morvan", "43.21A", "56100", "Lorient", "Bastien", "Morvan"),
    DemoCandidate("Blavet Électricité", "43.21A", "56700", "Hennebont", "Julien", "Ollivier"),
    DemoCandidate("Lorient Fret Express", "49.41A", "56100", "Lorient", "Sébastien", "Le Gal"),
    DemoCandidate("Cabinet Kerbiriou Expertise", "69.20Z", "56100", "Lorient", "Nolwenn", "Kerbiriou"),
    DemoCandidate("Atelier Inox Bretagne", "25.62B", "56600", "Lanester", "Pierrick", "Le Dantec"),
    DemoCandidate("Océane Cosmétiques", "20.42Z", "56270", "Ploemeur", "Aziliz", "Cadoret"),
    DemoCandidate("Menuiserie Le Pennec", "43.32A", "56400", "Auray", "Erwan", "Le Pennec"),
    DemoCandidate("Quiberon Nautisme", "33.15Z", "56170", "Quiberon", "Maëlys", "Hamon"),
    DemoCandidate("Armor Emballages", "17.21A", "56300", "Pontivy", "Thierry", "Guégan"),
    DemoCandidate("Digital Scorff", "73.11Z", "56100", "Lorient", "Inès", "Bellec"),
    DemoCandidate("Garage des Trois Rivières", "45.20A", "56700", "Hennebont", "Kévin", "Lorho"),
    DemoCandidate("Hôtel de la Pointe", "55.10Z", "56340", "Carnac", "Armelle", "Le Bourdonnec"),
    DemoCandidate("Brasserie Lann-Bihoué", "11.05Z", "56270", "Ploemeur", "Gurvan", "Le Lay"),
    DemoCandidate("Paysages du Blavet", "81.30Z", "56700", "Hennebont", "Annaïg", "Le Mouël"),
    DemoCandidate("Imprimerie Ria d'Étel", "18.12Z", "56410", "Étel", "Vincent", "Le Hénaff"),
    DemoCandidate("Ouest Plasturgie", "22.29A", "56850", "Caudan", "Stéphanie", "Le Floc'h"),
    DemoCandidate("Nettoyage Pro Lorient", "81.21Z", "56600", "Lanester", "Karim", "Benali"),
    DemoCandidate("Conseil RH Atlantique", "70.22Z", "56100", "Lorient", "Hélène", "Tréhin"),
    DemoCandidate("Bois et Charpentes du Scorff", "16.23Z", "56620", "Pont-Scorff", "Alan", "Jaffré"),
    DemoCandidate("Auto-École Vauban", "85.53Z", "56290", "Port-Louis", "Cécile", "Le Brech"),
    # Not yet met by the CCI.
    DemoCandidate(
        "Cidrerie de Guidel",
        "11.03Z",
        "56520",
        "Guidel",
        "Ronan",
        "Le Sciellour",
        CandidateState.NEW,
        "Sortir de l'isolement du dirigeant et échanger avec d'autres chefs d'entreprise du pays de Lorient.",
    ),
    DemoCandidate(
        "Pharmacie des Halles",
        "47.73Z",
        "56000",
        "Vannes",
        "Clémence",
        "Rio",
        CandidateState.NEW,
        "Je reprends l'officine depuis un an et cherche des pairs pour prendre du recul.",
    ),
    DemoCandidate(
        "Transports Jégo",
        "49.41B",
        "56500",
        "Locminé",
        "Patrick",
        "Jégo",
        CandidateState.NEW,
        "Recommandé par un ancien membre du groupe Pays de Lorient.",
    ),
    DemoCandidate(
        "Groupe Ouest Distribution",
        "46.90Z",
        "56000",
        "Vannes",
        "François",
        "Lemaire",
        CandidateState.DECLINED,
        decline_reason="Entreprise de 900 salariés : trop grande pour un groupe Plato de dirigeants de PME.",
    ),
]


# Topics the Golfe du Morbihan cohort proposed: (title, theme, description).
DEMO_TOPICS = [
    (
        "Recruter sans service RH",
        "Ressources humaines",
        "Comment trouver et garder des techniciens quand on a 15 salariés ?",
    ),
    ("Négocier avec sa banque", "Finance", "Préparer le rendez-vous annuel et renégocier les garanties."),
    ("Déléguer sans tout contrôler", "Stratégie", "Passer de patron-opérateur à dirigeant."),
    ("Préparer la transmission", "Stratégie", "Cinq ans avant la retraite : par où commencer ?"),
    ("Cybersécurité des PME", "Numérique", "Ce qu'il faut faire après l'attaque subie par un fournisseur."),
    (
        "Fixer ses prix face à l'inflation",
        "Commercial et marketing",
        "Répercuter les hausses sans perdre ses clients.",
    ),
    ("Le droit à la déconnexion", "Juridique", "Ce que la loi impose, ce que nos équipes attendent."),
    ("Tenir dans la durée", "Stress et équilibre", "Sommeil, sport, famille : comment faites-vous ?"),
]

DEMO_MINUTES = (
    "Tour de table des nouvelles de chacun, puis échange sur « %(topic)s ». "
    "Chaque membre repart avec une action concrète ; prochain point à la réunion suivante."
)


# Local networks a chapter's people may join after Plato (invented, like the companies):
# (chapter code, name, purpose, audience, contact, e-mail, website).
LOCAL_NETWORKS = [
    (
        "56",
        "Club des entrepreneurs du pays de Vannes",
        "Un petit-déjeuner par mois entre dirigeants, des visites d’entreprises et des recommandations "
        "d’affaires entre membres.",
        "Dirigeants de TPE et PME de tous secteurs installés autour du golfe.",
        "Nolwenn Le Berre",
        "contact@entrepreneurs-vannes.example",
        "https://entrepreneurs-vannes.example/",
    ),
    (
        "56",
        "Cercle des dirigeantes du Morbihan",
        "Des rencontres trimestrielles et un mentorat entre dirigeantes, pour oser se développer et "
        "prendre des mandats.",
        "Femmes dirigeantes ou associées d’une entreprise du Morbihan.",
        "Catherine Jaffré",
        "bonjour@dirigeantes56.example",
        "https://dirigeantes56.example/",
    ),
    (
        "56",
        "Transmettre en pays de Lorient",
        "Des chefs d’entreprise expérimentés parrainent des repreneurs et des créateurs pendant leurs "
        "trois premières années.",
        "Anciens de Plato qui veulent, à leur tour, accompagner un dirigeant qui démarre.",
        "Thierry Le Corre",
        "parrainage@transmettre-lorient.example",
        "https://transmettre-lorient.example/",
    ),
    (
        "35",
        "Rennes Industrie Club",
        "Des ateliers entre industriels sur l’achat, l’énergie et le recrutement, et une visite d’usine "
        "chaque trimestre.",
        "Dirigeants de PMI d’Ille-et-Vilaine.",
        "Bruno Hamon",
        "club@rennes-industrie.example",
        "https://rennes-industrie.example/",
    ),
]
