"""French texts of the interface, keyed by the English source string (read by fill_translations.py).

Vocabulary of French command centres: main courante (event log), vacation (duty period; the
English says shift), point de situation, centre, pupitre (desk). Keep %1, %2... and %n, and the & of mnemonics.
"""
from __future__ import annotations

FR: dict[str, str] = {
    # -- main window --------------------------------------------------------------------------
    "Console - %1": "Console - %1",
    "&File": "&Fichier",
    "&Quit": "&Quitter",
    "&View": "&Affichage",
    "&Help": "&Aide",
    "User: %1": "Utilisateur : %1",
    "Centre: %1": "Centre : %1",
    "Online": "En ligne",
    "Degraded": "Dégradé",
    "Offline": "Hors ligne",
    "Embedded (demo)": "Intégré (démo)",
    "last sync %1": "dernière synchro %1",
    "Event log": "Main courante",
    "Map": "Carte",
    "Shift planning": "Planning des vacations",
    "Dashboard": "Tableau de bord",
    "%1: not available in this version yet.": "%1 : pas encore disponible dans cette version.",
    "EXERCISE - exercise data only, no real events":
        "EXERCICE - données d'exercice uniquement, aucun événement réel",
    "Exercise": "Exercice",
    "[EXERCISE]": "[EXERCICE]",
    "EXERCISE": "EXERCICE",
    "Sending %v/%m": "Envoi %v/%m",
    # -- vocabularies -------------------------------------------------------------------------
    "Security": "Sécurité",
    "Health": "Santé",
    "Transport": "Transport",
    "Cyber": "Cyber",
    "Logistics": "Logistique",
    "Crowd": "Foule",
    "Media": "Médias",
    "Low": "Faible",
    "Moderate": "Modérée",
    "High": "Élevée",
    "Critical": "Critique",
    "Open": "Ouvert",
    "In progress": "En cours",
    "Closed": "Clos",
    "open": "ouvert",
    "in progress": "en cours",
    "closed": "clos",
    "Follow-up": "Suivi",
    "Correction": "Rectification",
    "Status": "Statut",
    "Acknowledged": "Pris en compte",
    "Decision": "Décision",
    "duplicate of": "doublon de",
    "caused by": "causé par",
    "related to": "lié à",
    # -- event log ----------------------------------------------------------------------------
    "New entry (Ctrl+N)": "Nouvelle entrée (Ctrl+N)",
    "New entry": "Nouvelle entrée",
    "Export CSV": "Exporter en CSV",
    "Export GeoJSON": "Exporter en GeoJSON",
    "Search the log": "Rechercher dans la main courante",
    "Export the current view": "Exporter la vue courante",
    "Export failed": "Échec de l'export",
    "Time": "Heure",
    "Time (%1)": "Heure (%1)",
    "Severity": "Gravité",
    "Category": "Catégorie",
    "Title": "Titre",
    "Place": "Lieu",
    "Centre": "Centre",
    "Author": "Auteur",
    "Acknowledged by": "Pris en compte par",
    "All time": "Toute la période",
    "Last hour": "Dernière heure",
    "Last 6 hours": "6 dernières heures",
    "Last 24 hours": "24 dernières heures",
    "Last 7 days": "7 derniers jours",
    "Custom...": "Personnalisée...",
    "Search title, description, place (Ctrl+F)": "Rechercher titre, description, lieu (Ctrl+F)",
    "Save view": "Enregistrer la vue",
    "Delete view": "Supprimer la vue",
    "Clear": "Effacer",
    "Saved views": "Vues enregistrées",
    "Name of the view:": "Nom de la vue :",
    "Link to another entry": "Lier à une autre entrée",
    "Search the log (words of the title, place...)":
        "Rechercher dans la main courante (mots du titre, lieu...)",
    "Choose the entry to link to.": "Choisissez l'entrée à lier.",
    "Add a follow-up (Ctrl+Enter)": "Ajouter un suivi (Ctrl+Entrée)",
    "Add": "Ajouter",
    "Acknowledge": "Prendre en compte",
    "Close": "Clore",
    "Reopen": "Rouvrir",
    "Link...": "Lier...",
    "<i>Select an entry to see its follow-ups.</i>":
        "<i>Sélectionnez une entrée pour voir ses suivis.</i>",
    "Occurred %1 · written %2 by %3 (%4)": "Survenu %1 · saisi %2 par %3 (%4)",
    "linked as %1 by": "lié comme %1 par",
    "New log entry": "Nouvelle entrée de main courante",
    "What happened, in a few words": "Ce qui s'est passé, en quelques mots",
    "Details (Shift+Enter for a new line)": "Détails (Maj+Entrée pour une nouvelle ligne)",
    "- choose -": "- choisir -",
    "Place name (venue, station, address)": "Nom du lieu (site, gare, adresse)",
    "Who reported it": "Qui l'a signalé",
    "Flag for the authorities": "Signaler aux autorités",
    "&Title": "&Titre",
    "&Description": "&Description",
    "&Category": "&Catégorie",
    "Se&verity": "&Gravité",
    "&Occurred at": "&Survenu à",
    "&Place": "&Lieu",
    "Latitude / longitude": "Latitude / longitude",
    "&Source": "S&ource",
    # -- map ----------------------------------------------------------------------------------
    "Events": "Événements",
    "Zones": "Zones",
    "Venues": "Sites",
    "Heat map (last 6 h)": "Carte de chaleur (6 dernières h)",
    "severity": "gravité",
    "Draw a zone (polygon)": "Dessiner une zone (polygone)",
    "Draw a zone (circle)": "Dessiner une zone (cercle)",
    "Click the corners; double-click or Enter to finish, Esc to cancel":
        "Cliquez les sommets ; double-clic ou Entrée pour terminer, Échap pour annuler",
    "Click the centre, then the edge; Esc to cancel":
        "Cliquez le centre, puis le bord ; Échap pour annuler",
    "New zone": "Nouvelle zone",
    "Name of the circular zone:": "Nom de la zone circulaire :",
    "Name of the zone:": "Nom de la zone :",
    "The drawn zone could not be read; nothing was saved.":
        "La zone dessinée n'a pas pu être lue ; rien n'a été enregistré.",
    "Zone not saved: %1": "Zone non enregistrée : %1",
    "Zone drawing cancelled.": "Tracé de zone annulé.",
    "Zone “%1” saved.": "Zone « %1 » enregistrée.",
    # -- dashboard ----------------------------------------------------------------------------
    "All centres": "Tous les centres",
    "Scope:": "Périmètre :",
    "events, last 24 h": "événements, dernières 24 h",
    "open events": "événements ouverts",
    "critical open": "critiques ouverts",
    "mean time to acknowledge (24 h)": "délai moyen de prise en compte (24 h)",
    "mean time to close (24 h)": "délai moyen de clôture (24 h)",
    "flagged for the authorities (24 h)": "signalés aux autorités (24 h)",
    "on duty / required": "en service / requis",
    "Events per hour by category, last 24 h": "Événements par heure et catégorie, dernières 24 h",
    "Open events by severity": "Événements ouverts par gravité",
    "Events per venue, last 24 h": "Événements par site, dernières 24 h",
    "Events per zone, last 24 h": "Événements par zone, dernières 24 h",
    "Figures": "Chiffres",
    "Oversight": "Vigilance",
    "roster not available": "planning non disponible",
    "on duty: roster not available": "en service : planning non disponible",
    "no event at a venue": "aucun événement sur un site",
    "no event in a drawn zone": "aucun événement dans une zone dessinée",
    "Oversight (%1)": "Vigilance (%1)",
    "No oversight alarm": "Aucune alerte de vigilance",
    "Not acknowledged after": "Non pris en compte après",
    "Critical without follow-up for": "Critique sans suivi depuis",
    "Not acknowledged": "Non pris en compte",
    "Critical without follow-up": "Critique sans suivi",
    "Flagged for the authorities": "Signalé aux autorités",
    # -- settings, first run, help -------------------------------------------------------------
    "Enter the URL of the central database.": "Saisissez l'URL de la base centrale.",
    "Not a database URL: write it as postgresql://user@host:5432/database":
        "Ce n'est pas une URL de base de données : écrivez-la postgresql://utilisateur@hôte:5432/base",
    "The central database is PostgreSQL: the URL starts with postgresql://":
        "La base centrale est PostgreSQL : l'URL commence par postgresql://",
    "Do not put the password in the URL: type it in the password field, it goes to the system keyring.":
        "Ne mettez pas le mot de passe dans l'URL : saisissez-le dans le champ mot de passe, il est "
        "conservé dans le trousseau du système.",
    "The URL needs a host and a database name.": "L'URL doit contenir un hôte et un nom de base.",
    "Central database": "Base centrale",
    "Ask your administrator for the address. The password is kept in the system keyring, never in a file.":
        "Demandez l'adresse à votre administrateur. Le mot de passe est conservé dans le trousseau "
        "du système, jamais dans un fichier.",
    "&Test the connection": "&Tester la connexion",
    "&URL:": "&URL :",
    "&Password:": "&Mot de passe :",
    "Connecting...": "Connexion...",
    "Connected (PostgreSQL %1).": "Connecté (PostgreSQL %1).",
    "Cannot connect: %1": "Connexion impossible : %1",
    "Console - first start": "Console - premier démarrage",
    "Help": "Aide",
    "Action": "Action",
    "Keys": "Touches",
    "Keyboard shortcuts": "Raccourcis clavier",
    "Diagnostics": "Diagnostic",
    "Run <tt>console doctor</tt> in a terminal to check the configuration, the keyring, the local store, the tile cache and the link to the central database; <tt>console --self-test</tt> checks the installation.":
        "Lancez <tt>console doctor</tt> dans un terminal pour vérifier la configuration, le "
        "trousseau, la base locale, le cache de tuiles et la liaison avec la base centrale ; "
        "<tt>console --self-test</tt> vérifie l'installation.",
    "Panes": "Volets",
    "Press F1 at any time to open this help.": "Appuyez sur F1 à tout moment pour ouvrir cette aide.",
    "Keyboard shortcuts and &help": "Raccourcis clavier et &aide",
    "Centre and user": "Centre et utilisateur",
    "The centre this workstation belongs to and who usually signs in on it (each operator still signs in with their own account).":
        "Le centre de ce poste et la personne qui s'y connecte d'habitude (chaque opérateur se "
        "connecte toujours avec son propre compte).",
    "user name": "identifiant",
    "&Centre:": "&Centre :",
    "&User:": "&Utilisateur :",
    "Welcome": "Bienvenue",
    "Where does this workstation keep its log?": "Où ce poste tient-il sa main courante ?",
    "Embedded &demo: the Paris 2024 scenario, nothing to configure (training, evaluation)":
        "&Démo intégrée : le scénario Paris 2024, rien à configurer (formation, évaluation)",
    "&Central database of the command centre (PostgreSQL)":
        "Base &centrale du centre de commandement (PostgreSQL)",
    "Settings": "Paramètres",
    "System language": "Langue du système",
    "Language of the interface; applied at the next start":
        "Langue de l'interface ; appliquée au prochain démarrage",
    "Embedded demo (no central database)": "Démo intégrée (sans base centrale)",
    "Central PostgreSQL database, without the password": "Base centrale PostgreSQL, sans le mot de passe",
    "unchanged": "inchangé",
    "Kept in the system keyring, never in a file": "Conservé dans le trousseau du système, jamais dans un fichier",
    "Times are shown in the centre's time zone, named after each time (e.g. 14:05 CEST)":
        "Les heures sont affichées dans le fuseau du centre, nommé après chaque heure (ex. 14:05 CEST)",
    "Now: %1": "Maintenant : %1",
    "Interface": "Interface",
    "&Language:": "&Langue :",
    "Centre time zone:": "Fuseau horaire du centre :",
    "Changes of language or database apply at the next start.":
        "Les changements de langue ou de base s'appliquent au prochain démarrage.",
    "&Settings...": "&Paramètres...",
    "Saved. Restart the console to apply a new language or database.":
        "Enregistré. Redémarrez la console pour appliquer une nouvelle langue ou base.",
    "The main courante: every event of the centre, newest first. Ctrl+N writes a new entry; Ctrl+F searches titles, descriptions and places; the period and category filters also drive the map. Select an entry to read and add its follow-ups (Ctrl+Enter). Entries are never edited or deleted: add a correction instead.":
        "La main courante : tous les événements du centre, les plus récents en premier. Ctrl+N "
        "saisit une nouvelle entrée ; Ctrl+F cherche dans les titres, descriptions et lieux ; les "
        "filtres de période et de catégorie pilotent aussi la carte. Sélectionnez une entrée pour "
        "lire et ajouter ses suivis (Ctrl+Entrée). Une entrée n'est jamais modifiée ni supprimée : "
        "ajoutez une rectification.",
    "The events of the log's current filter, the venues and the drawn zones. Click a marker to select its entry; right-click on the map to start an entry at that point; use the drawing tools to add a zone. The map works offline from the tile cache (console tiles prefetch).":
        "Les événements du filtre courant de la main courante, les sites et les zones dessinées. "
        "Cliquez un marqueur pour sélectionner son entrée ; clic droit sur la carte pour saisir "
        "une entrée à cet endroit ; les outils de dessin ajoutent une zone. La carte fonctionne "
        "hors ligne grâce au cache de tuiles (console tiles prefetch).",
    "Who is on duty at which desk for each shift. Rest and working-time rules are checked on every change; an override needs a reason and is recorded.":
        "Qui est de service à quel pupitre pour chaque vacation. Les règles de repos et de temps "
        "de travail sont vérifiées à chaque modification ; une dérogation exige un motif et est "
        "enregistrée.",
    "Figures of the last 24 hours, open events by severity, events per venue and zone, and the oversight lists (entries not acknowledged, critical entries without follow-up).":
        "Chiffres des dernières 24 heures, événements ouverts par gravité, événements par site et "
        "par zone, et listes de vigilance (entrées non prises en compte, entrées critiques sans "
        "suivi).",
    # -- security -----------------------------------------------------------------------------
    "Add a user": "Ajouter un utilisateur",
    "User name": "Identifiant",
    "Full name": "Nom complet",
    "Role": "Rôle",
    "Initial password": "Mot de passe initial",
    "Users and roles": "Utilisateurs et rôles",
    "Add...": "Ajouter...",
    "Disable": "Désactiver",
    "Enable": "Activer",
    "Grant": "Accorder",
    "Revoke": "Retirer",
    "Refused: %1": "Refusé : %1",
    "User %1 created.": "Utilisateur %1 créé.",
    "%1 updated.": "%1 mis à jour.",
    "Audit trail": "Journal d'audit",
    "Words in values or details": "Mots dans les valeurs ou les détails",
    "User": "Utilisateur",
    "Search": "Rechercher",
    "Verify chain": "Vérifier la chaîne",
    "%1 record(s)": "%1 enregistrement(s)",
    "Workstation locked": "Poste verrouillé",
    "Signed in: %1": "Connecté : %1",
    "Password": "Mot de passe",
    "Unlock": "Déverrouiller",
    "Sign out": "Se déconnecter",
    "Console - sign in": "Console - connexion",
    "Remember the password in the system keyring": "Retenir le mot de passe dans le trousseau du système",
    "Sign in": "Se connecter",
    "Signing in...": "Connexion...",
    "Console - locked": "Console - verrouillée",
    "Wrong password.": "Mot de passe incorrect.",
    "&Lock workstation": "&Verrouiller le poste",
    "Sign &out": "Se &déconnecter",
    "&Security": "&Sécurité",
    "&Users and roles...": "&Utilisateurs et rôles...",
    "&Audit trail": "&Journal d'audit",
    # -- sync status --------------------------------------------------------------------------
    "Changes refused by the central database": "Modifications refusées par la base centrale",
    "These changes were refused and will not be sent again. Enter them again once corrected.":
        "Ces modifications ont été refusées et ne seront pas renvoyées. Saisissez-les de nouveau "
        "une fois corrigées.",
    "None": "Aucune",
    "The map stopped (code %1); reloading it.": "La carte s'est arrêtée (code %1) ; rechargement.",
    # -- import -------------------------------------------------------------------------------
    "Import...": "Importer...",
    "Import events": "Importer des événements",
    "Open a file...": "Ouvrir un fichier...",
    "CSV from another log, a CAP 1.2 alert (.xml), GeoJSON or KML.":
        "CSV d'une autre main courante, alerte CAP 1.2 (.xml), GeoJSON ou KML.",
    "Line": "Ligne",
    "Sev.": "Grav.",
    "Why it is refused": "Motif du refus",
    "To import": "À importer",
    "Refused": "Refusées",
    "Import": "Importer",
    "CSV, CAP, GeoJSON or KML (*.csv *.txt *.xml *.cap *.geojson *.json *.kml);;All files (*)":
        "CSV, CAP, GeoJSON ou KML (*.csv *.txt *.xml *.cap *.geojson *.json *.kml);;"
        "Tous les fichiers (*)",
    "%1 to import, %2 refused.": "%1 à importer, %2 refusés.",
    "Warning: %1: %2": "Avertissement : %1 : %2",
    "To import (%1)": "À importer (%1)",
    "Refused (%1)": "Refusées (%1)",
    "CAP 1.2 alert from %1, valid.": "Alerte CAP 1.2 de %1, valide.",
    "%1 lines: %2 to import, %3 refused. Columns: %4.":
        "%1 lignes : %2 à importer, %3 refusées. Colonnes : %4.",
    "Ignored: %1.": "Ignorées : %1.",
    "Done: %1.": "Terminé : %1.",
    "Repeated hour at a clock change: refuse the line":
        "Heure répétée au changement d'heure : refuser la ligne",
    "Repeated hour: the first one (summer time)": "Heure répétée : la première (heure d'été)",
    "Repeated hour: the second one (winter time)": "Heure répétée : la seconde (heure d'hiver)",
    "Reading and checking the file...": "Lecture et vérification du fichier...",
    # -- reports ------------------------------------------------------------------------------
    "Situation report...": "Point de situation...",
    # -- oversight lists, pyqtgraph's context menu ----------------------------------------------
    "Waiting": "Attente",
    "Occurred": "Survenu",
    "Export...": "Exporter...",
    "Situation report": "Point de situation",
    "All categories": "Toutes les catégories",
    "All zones": "Toutes les zones",
    "Browse...": "Parcourir...",
    "Also write the HTML version": "Écrire aussi la version HTML",
    "Report language": "Langue du rapport",
    "Language the report is written in, whatever the interface's":
        "Langue dans laquelle le rapport est rédigé, quelle que soit celle de l'interface",
    "From": "Du",
    "To": "Au",
    "Zone": "Zone",
    "PDF file": "Fichier PDF",
    "Exercise session: the report will be marked EXERCICE / EXERCISE on every page.":
        "Session d'exercice : le rapport portera la mention EXERCICE / EXERCISE sur chaque page.",
    "Generate": "Générer",
    "Save the report": "Enregistrer le rapport",
    "PDF (*.pdf)": "PDF (*.pdf)",
    "Building the report: %1": "Préparation du rapport : %1",
    "The folder %1 does not exist.": "Le dossier %1 n'existe pas.",
    "Written: %1 (%2 pages, %3 events)": "Écrit : %1 (%2 pages, %3 événements)",
    # -- roster -------------------------------------------------------------------------------
    "Roster": "Planning",
    "Operators × days": "Opérateurs × jours",
    "Desks × shifts": "Pupitres × vacations",
    "Desk:": "Pupitre :",
    "Desk used when a shift is typed in the grid (type its letter, e.g. M, A, N)":
        "Pupitre utilisé quand une vacation est saisie dans la grille (tapez sa lettre, ex. M, A, N)",
    "Undo": "Annuler",
    "Redo": "Rétablir",
    "Plan period": "Planifier la période",
    "Fill holes": "Combler les trous",
    "Stop": "Arrêter",
    "Publish": "Publier",
    "Derogation…": "Dérogation…",
    "Derogation": "Dérogation",
    "Export": "Exporter",
    "iCalendar per operator…": "iCalendar par opérateur…",
    "CSV…": "CSV…",
    "PDF…": "PDF…",
    "Rule checks": "Contrôle des règles",
    "Swaps": "Échanges",
    "Swaps (%1)": "Échanges (%1)",
    "Swap": "Échange",
    "Sync conflicts": "Conflits de synchronisation",
    "Sync conflicts (%1)": "Conflits de synchronisation (%1)",
    "Sync conflict": "Conflit de synchronisation",
    "Approve": "Approuver",
    "Refuse": "Refuser",
    "Keep current": "Garder la version actuelle",
    "Keep the other edit": "Garder l'autre modification",
    "Offer to:": "Proposer à :",
    "No roster": "Aucun planning",
    "%1 shifts · %2 broken rule(s) · %3 accepted by derogation · %4 advice":
        "%1 vacations · %2 règle(s) enfreinte(s) · %3 acceptée(s) par dérogation · "
        "%4 recommandation(s)",
    "%1 (advice)": "%1 (recommandation)",
    "Rules…": "Règles…",
    # -- working-time rules (labels and settings) --------------------------------------------
    "Coverage hole": "Poste non couvert",
    "Coverage excess": "Effectif en surnombre",
    "Missing qualification": "Qualification manquante",
    "Assigned during an absence": "Affecté pendant une absence",
    "Two shifts at once": "Deux vacations simultanées",
    "Daily rest too short": "Repos quotidien insuffisant",
    "Weekly rest too short": "Repos hebdomadaire insuffisant",
    "Too many hours in a week": "Trop d'heures dans la semaine",
    "Average weekly hours too high": "Moyenne hebdomadaire trop élevée",
    "Too many hours in a day": "Trop d'heures dans la journée",
    "Amplitude of the day too long": "Amplitude de la journée trop longue",
    "Break missing": "Pause manquante",
    "Too many nights in a row": "Trop de nuits consécutives",
    "Backward rotation": "Rotation à rebours",
    "Working-time rules": "Règles du temps de travail",
    "Decree 2000-815 art. 3-I; a service working under a derogation sets its own values. "
    "Rules marked advice block nothing.":
        "Décret 2000-815 art. 3-I ; un service qui travaille sous dérogation fixe ses propres "
        "valeurs. Les règles marquées « recommandation » ne bloquent rien.",
    "Rules of this roster": "Règles de ce planning",
    "Break recorded in each shift": "Pause prévue dans chaque vacation",
    "Daily rest, at least": "Repos quotidien, au moins",
    "Weekly rest, at least": "Repos hebdomadaire, au moins",
    "Work in a week, at most": "Travail dans la semaine, au plus",
    "Count the weekly maximum in any 7 days (stricter than the civil week)":
        "Compter le maximum hebdomadaire sur 7 jours glissants (plus strict que la semaine "
        "civile)",
    "Average work per week, at most": "Travail hebdomadaire moyen, au plus",
    "Weeks of the average": "Semaines de la moyenne",
    "Work in a day, at most": "Travail dans la journée, au plus",
    "Amplitude of the day, at most": "Amplitude de la journée, au plus",
    "A break is due beyond": "Une pause est due au-delà de",
    "Break, at least": "Pause, au moins",
    "Nights in a row, at most (advice)": "Nuits consécutives, au plus (recommandation)",
    "Rest that allows a backward rotation (advice)":
        "Repos permettant une rotation à rebours (recommandation)",
    "Remove": "Retirer",
    "Assign": "Affecter",
    "Operator:": "Opérateur :",
    "Remove %1": "Retirer %1",
    "Assign %1": "Affecter %1",
    "Shift cut: paste it on another cell (Ctrl+V)":
        "Vacation coupée : collez-la sur une autre case (Ctrl+V)",
    "Offer this shift to a colleague…": "Proposer cette vacation à un collègue…",
    # roster exports (calendars, PDF): English says shift, French keeps vacation
    "Shift": "Vacation",
    "%1 · %2 to %3 · %4 shifts · %5 broken rule(s)":
        "%1 · du %2 au %3 · %4 vacations · %5 règle(s) enfreinte(s)",
    "Week of %1": "Semaine du %1",
    "Operator": "Opérateur",
    "Fix / unfix (kept by the planner)": "Figer / libérer (conservée par le planificateur)",
    "Planning…": "Planification…",
    "Stopping…": "Arrêt…",
    "Planning… %1 s, %2 roster(s) found, cost %3": "Planification… %1 s, %2 planning(s) trouvé(s), coût %3",
    "Planner: %1 in %2 s": "Planificateur : %1 en %2 s",
    # -- roster planner progress (planner_panel.py) ----------------------------------------
    "Stop and keep the best roster": "Arrêter et garder le meilleur planning",
    "Ends the planner now; the best legal roster found so far goes into the draft (undo removes it)":
        "Arrête le planificateur ; le meilleur planning conforme trouvé jusqu'ici passe dans le "
        "brouillon (Annuler le retire)",
    "Looking for a first legal roster…": "Recherche d'un premier planning conforme…",
    "Stopping: keeping the best roster found so far…":
        "Arrêt : conservation du meilleur planning trouvé jusqu'ici…",
    "first legal roster": "premier planning conforme",
    "balancing": "équilibrage",
    "%1 s: %2": "%1 s : %2",
    "Best roster so far (%2, at %1 s): a spread of %3 night(s) and %4 weekend shift(s) between operators":
        "Meilleur planning trouvé (%2, à %1 s) : un écart de %3 nuit(s) et %4 vacation(s) de "
        "week-end entre agents",
    "%1 s of %2 s": "%1 s sur %2 s",
    "optimal": "optimal",
    "done": "terminé",
    "stopped, best roster kept": "arrêté, meilleur planning conservé",
    "no complete roster": "pas de planning complet",
    "no roster found": "aucun planning trouvé",
    "error": "erreur",
    "Spread between operators: %1 night(s), %2 weekend shift(s)":
        "Écart entre agents : %1 nuit(s), %2 vacation(s) de week-end",
    "Cannot be met:": "Impossible à respecter :",
    "Select the violation to accept in the list.": "Sélectionnez dans la liste l'infraction à accepter.",
    "Reason for accepting “%1” (recorded):": "Motif d'acceptation de « %1 » (enregistré) :",
    "Folder for the calendars": "Dossier des calendriers",
    "%1 calendar(s) written": "%1 calendrier(s) écrit(s)",
    "CSV file": "Fichier CSV",
    # -- dashboard (later strings) ----------------------------------------------------------
    "Per venue, 24 h": "Par site, 24 h",
    "Per zone, 24 h": "Par zone, 24 h",
    "on duty: %1": "en service : %1",
    "no published roster covers this moment": "aucun planning publié ne couvre ce moment",
    "on duty: no published roster covers this moment":
        "en service : aucun planning publié ne couvre ce moment",
    "Situation &report...": "&Point de situation...",
    "&Import (CAP, CSV, GeoJSON, KML)...": "&Importer (CAP, CSV, GeoJSON, KML)...",
    "Central fault": "Panne de la base centrale",
    "(not applied: the event was closed)": "(non appliqué : l'événement était clos)",
    "conflict: %1 set %2 after it was closed by %3": "conflit : %1 a mis %2 après la clôture par %3",
    "The operation failed; the details are in the log file.":
        "L'opération a échoué ; le détail est dans le journal de l'application.",
    "These changes are kept on this workstation exactly as they were written. Retry once the "
    "cause is fixed, export them to pass them on another way, or (supervisor) discard them.":
        "Ces modifications sont conservées sur ce poste telles qu'elles ont été saisies. "
        "Relancez-les une fois la cause corrigée, exportez-les pour les transmettre autrement, "
        "ou (superviseur) abandonnez-les.",
    "Written": "Saisie",
    "Change": "Modification",
    "Refused because": "Motif du refus",
    "Retry": "Relancer",
    "Discard": "Abandonner",
    "Only a supervisor may discard a change": "Seul un superviseur peut abandonner une modification",
    "Export refused changes": "Exporter les modifications refusées",
    "Discard refused changes": "Abandonner les modifications refusées",
}

# Plural forms: French uses the singular for 0 and 1.
FR_PLURAL: dict[str, tuple[str, str]] = {
    "%n change(s) waiting": ("%n modification en attente", "%n modifications en attente"),
    "%n change(s) refused": ("%n modification refusée", "%n modifications refusées"),
    "%n conflict(s) to resolve": ("%n conflit à résoudre", "%n conflits à résoudre"),
    "Discard %n change(s)? They are put back as the central database has them; this decision is "
    "recorded in the audit trail.": (
        "Abandonner %n modification ? La ligne est remise telle que la base centrale l'a ; cette "
        "décision est inscrite au journal d'audit.",
        "Abandonner %n modifications ? Les lignes sont remises telles que la base centrale les a ; "
        "cette décision est inscrite au journal d'audit."),
    "%n entries": ("%n entrée", "%n entrées"),
    "Import the valid lines, leave out %n refused line(s)": (
        "Importer les lignes valides (%n ligne refusée laissée de côté)",
        "Importer les lignes valides (%n lignes refusées laissées de côté)"),
    "▲ %n new entries": ("▲ %n nouvelle entrée", "▲ %n nouvelles entrées"),
    "%n event(s) on the map": ("%n événement sur la carte", "%n événements sur la carte"),
    "⚠ %n refused": ("⚠ %n refusée", "⚠ %n refusées"),
}

# English plurals that the "(s)" rule in fill_translations.py cannot derive.
EN_PLURAL: dict[str, tuple[str, str]] = {
    "%n entries": ("%n entry", "%n entries"),
    "▲ %n new entries": ("▲ %n new entry", "▲ %n new entries"),
    "⚠ %n refused": ("⚠ %n refused", "⚠ %n refused"),
}
