<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
    <context>
        <name />
        <message>
            <source>Map</source>
            <translation>Carte</translation>
        </message>
        <message>
            <source>Shift planning</source>
            <translation>Planning des vacations</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Tableau de bord</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Événements</translation>
        </message>
        <message>
            <source>Zones</source>
            <translation>Zones</translation>
        </message>
        <message>
            <source>Venues</source>
            <translation>Sites</translation>
        </message>
        <message>
            <source>Heat map (last 6 h)</source>
            <translation>Carte de chaleur (6 dernières h)</translation>
        </message>
        <message>
            <source>severity</source>
            <translation>gravité</translation>
        </message>
        <message>
            <source>open</source>
            <translation>ouvert</translation>
        </message>
        <message>
            <source>in progress</source>
            <translation>en cours</translation>
        </message>
        <message>
            <source>closed</source>
            <translation>clos</translation>
        </message>
        <message>
            <source>Draw a zone (polygon)</source>
            <translation>Dessiner une zone (polygone)</translation>
        </message>
        <message>
            <source>Draw a zone (circle)</source>
            <translation>Dessiner une zone (cercle)</translation>
        </message>
        <message>
            <source>Click the corners; double-click or Enter to finish, Esc to cancel</source>
            <translation>Cliquez les sommets ; double-clic ou Entrée pour terminer, Échap pour annuler</translation>
        </message>
        <message>
            <source>Click the centre, then the edge; Esc to cancel</source>
            <translation>Cliquez le centre, puis le bord ; Échap pour annuler</translation>
        </message>
        <message>
            <source>Enter the URL of the central database.</source>
            <translation>Saisissez l'URL de la base centrale.</translation>
        </message>
        <message>
            <source>Not a database URL: write it as postgresql://user@host:5432/database</source>
            <translation>Ce n'est pas une URL de base de données : écrivez-la postgresql://utilisateur@hôte:5432/base</translation>
        </message>
        <message>
            <source>The central database is PostgreSQL: the URL starts with postgresql://</source>
            <translation>La base centrale est PostgreSQL : l'URL commence par postgresql://</translation>
        </message>
        <message>
            <source>Do not put the password in the URL: type it in the password field, it goes to the system keyring.</source>
            <translation>Ne mettez pas le mot de passe dans l'URL : saisissez-le dans le champ mot de passe, il est conservé dans le trousseau du système.</translation>
        </message>
        <message>
            <source>The URL needs a host and a database name.</source>
            <translation>L'URL doit contenir un hôte et un nom de base.</translation>
        </message>
        <message>
            <source>Coverage hole</source>
            <translation>Poste non couvert</translation>
        </message>
        <message>
            <source>Coverage excess</source>
            <translation>Effectif en surnombre</translation>
        </message>
        <message>
            <source>Missing qualification</source>
            <translation>Qualification manquante</translation>
        </message>
        <message>
            <source>Assigned during an absence</source>
            <translation>Affecté pendant une absence</translation>
        </message>
        <message>
            <source>Two shifts at once</source>
            <translation>Deux vacations simultanées</translation>
        </message>
        <message>
            <source>Daily rest too short</source>
            <translation>Repos quotidien insuffisant</translation>
        </message>
        <message>
            <source>Weekly rest too short</source>
            <translation>Repos hebdomadaire insuffisant</translation>
        </message>
        <message>
            <source>Too many hours in a week</source>
            <translation>Trop d'heures dans la semaine</translation>
        </message>
        <message>
            <source>Average weekly hours too high</source>
            <translation>Moyenne hebdomadaire trop élevée</translation>
        </message>
        <message>
            <source>Too many hours in a day</source>
            <translation>Trop d'heures dans la journée</translation>
        </message>
        <message>
            <source>Amplitude of the day too long</source>
            <translation>Amplitude de la journée trop longue</translation>
        </message>
        <message>
            <source>Break missing</source>
            <translation>Pause manquante</translation>
        </message>
        <message>
            <source>Too many nights in a row</source>
            <translation>Trop de nuits consécutives</translation>
        </message>
        <message>
            <source>Backward rotation</source>
            <translation>Rotation à rebours</translation>
        </message>
        <message>
            <source>Daily rest, at least</source>
            <translation>Repos quotidien, au moins</translation>
        </message>
        <message>
            <source>Weekly rest, at least</source>
            <translation>Repos hebdomadaire, au moins</translation>
        </message>
        <message>
            <source>Work in a week, at most</source>
            <translation>Travail dans la semaine, au plus</translation>
        </message>
        <message>
            <source>Count the weekly maximum in any 7 days (stricter than the civil week)</source>
            <translation>Compter le maximum hebdomadaire sur 7 jours glissants (plus strict que la semaine civile)</translation>
        </message>
        <message>
            <source>Average work per week, at most</source>
            <translation>Travail hebdomadaire moyen, au plus</translation>
        </message>
        <message>
            <source>Weeks of the average</source>
            <translation>Semaines de la moyenne</translation>
        </message>
        <message>
            <source>Work in a day, at most</source>
            <translation>Travail dans la journée, au plus</translation>
        </message>
        <message>
            <source>Amplitude of the day, at most</source>
            <translation>Amplitude de la journée, au plus</translation>
        </message>
        <message>
            <source>A break is due beyond</source>
            <translation>Une pause est due au-delà de</translation>
        </message>
        <message>
            <source>Break, at least</source>
            <translation>Pause, au moins</translation>
        </message>
        <message>
            <source>Nights in a row, at most (advice)</source>
            <translation>Nuits consécutives, au plus (recommandation)</translation>
        </message>
        <message>
            <source>Rest that allows a backward rotation (advice)</source>
            <translation>Repos permettant une rotation à rebours (recommandation)</translation>
        </message>
    </context>
    <context>
        <name>AddUserDialog</name>
        <message>
            <source>Add a user</source>
            <translation>Ajouter un utilisateur</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>Identifiant</translation>
        </message>
        <message>
            <source>Full name</source>
            <translation>Nom complet</translation>
        </message>
        <message>
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Rôle</translation>
        </message>
        <message>
            <source>Initial password</source>
            <translation>Mot de passe initial</translation>
        </message>
    </context>
    <context>
        <name>AdminDialog</name>
        <message>
            <source>Users and roles</source>
            <translation>Utilisateurs et rôles</translation>
        </message>
        <message>
            <source>Add...</source>
            <translation>Ajouter...</translation>
        </message>
        <message>
            <source>Disable</source>
            <translation>Désactiver</translation>
        </message>
        <message>
            <source>Enable</source>
            <translation>Activer</translation>
        </message>
        <message>
            <source>Grant</source>
            <translation>Accorder</translation>
        </message>
        <message>
            <source>Revoke</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <source>Refused: %1</source>
            <translation>Refusé : %1</translation>
        </message>
        <message>
            <source>User %1 created.</source>
            <translation>Utilisateur %1 créé.</translation>
        </message>
        <message>
            <source>%1 updated.</source>
            <translation>%1 mis à jour.</translation>
        </message>
    </context>
    <context>
        <name>AuditDialog</name>
        <message>
            <source>Audit trail</source>
            <translation>Journal d'audit</translation>
        </message>
    </context>
    <context>
        <name>AuditPane</name>
        <message>
            <source>Words in values or details</source>
            <translation>Mots dans les valeurs ou les détails</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Utilisateur</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Rechercher</translation>
        </message>
        <message>
            <source>Verify chain</source>
            <translation>Vérifier la chaîne</translation>
        </message>
        <message>
            <source>Refused: %1</source>
            <translation>Refusé : %1</translation>
        </message>
        <message>
            <source>%1 record(s)</source>
            <translation>%1 enregistrement(s)</translation>
        </message>
    </context>
    <context>
        <name>CentralPage</name>
        <message>
            <source>Central database</source>
            <translation>Base centrale</translation>
        </message>
        <message>
            <source>Ask your administrator for the address. The password is kept in the system keyring, never in a file.</source>
            <translation>Demandez l'adresse à votre administrateur. Le mot de passe est conservé dans le trousseau du système, jamais dans un fichier.</translation>
        </message>
        <message>
            <source>&amp;Test the connection</source>
            <translation>&amp;Tester la connexion</translation>
        </message>
        <message>
            <source>&amp;URL:</source>
            <translation>&amp;URL :</translation>
        </message>
        <message>
            <source>&amp;Password:</source>
            <translation>&amp;Mot de passe :</translation>
        </message>
        <message>
            <source>Connecting...</source>
            <translation>Connexion...</translation>
        </message>
        <message>
            <source>Connected (PostgreSQL %1).</source>
            <translation>Connecté (PostgreSQL %1).</translation>
        </message>
        <message>
            <source>Cannot connect: %1</source>
            <translation>Connexion impossible : %1</translation>
        </message>
    </context>
    <context>
        <name>ConnectionIndicator</name>
        <message>
            <source>Online</source>
            <translation>En ligne</translation>
        </message>
        <message>
            <source>Degraded</source>
            <translation>Dégradé</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>Hors ligne</translation>
        </message>
        <message>
            <source>Central fault</source>
            <translation>Panne de la base centrale</translation>
        </message>
        <message>
            <source>Embedded (demo)</source>
            <translation>Intégré (démo)</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) waiting</source>
            <translation>
                <numerusform>%n modification en attente</numerusform>
                <numerusform>%n modifications en attente</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) refused</source>
            <translation>
                <numerusform>%n modification refusée</numerusform>
                <numerusform>%n modifications refusées</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conflict(s) to resolve</source>
            <translation>
                <numerusform>%n conflit à résoudre</numerusform>
                <numerusform>%n conflits à résoudre</numerusform>
            </translation>
        </message>
        <message>
            <source>last sync %1</source>
            <translation>dernière synchro %1</translation>
        </message>
    </context>
    <context>
        <name>DashboardPane</name>
        <message>
            <source>All centres</source>
            <translation>Tous les centres</translation>
        </message>
        <message>
            <source>Situation report...</source>
            <translation>Point de situation...</translation>
        </message>
        <message>
            <source>Import...</source>
            <translation>Importer...</translation>
        </message>
        <message>
            <source>Scope:</source>
            <translation>Périmètre :</translation>
        </message>
        <message>
            <source>events, last 24 h</source>
            <translation>événements, dernières 24 h</translation>
        </message>
        <message>
            <source>open events</source>
            <translation>événements ouverts</translation>
        </message>
        <message>
            <source>critical open</source>
            <translation>critiques ouverts</translation>
        </message>
        <message>
            <source>mean time to acknowledge (24 h)</source>
            <translation>délai moyen de prise en compte (24 h)</translation>
        </message>
        <message>
            <source>mean time to close (24 h)</source>
            <translation>délai moyen de clôture (24 h)</translation>
        </message>
        <message>
            <source>flagged for the authorities (24 h)</source>
            <translation>signalés aux autorités (24 h)</translation>
        </message>
        <message>
            <source>on duty / required</source>
            <translation>en service / requis</translation>
        </message>
        <message>
            <source>Events per hour by category, last 24 h</source>
            <translation>Événements par heure et catégorie, dernières 24 h</translation>
        </message>
        <message>
            <source>Open events by severity</source>
            <translation>Événements ouverts par gravité</translation>
        </message>
        <message>
            <source>Per venue, 24 h</source>
            <translation>Par site, 24 h</translation>
        </message>
        <message>
            <source>Per zone, 24 h</source>
            <translation>Par zone, 24 h</translation>
        </message>
        <message>
            <source>on duty: %1</source>
            <translation>en service : %1</translation>
        </message>
        <message>
            <source>Figures</source>
            <translation>Chiffres</translation>
        </message>
        <message>
            <source>Oversight</source>
            <translation>Vigilance</translation>
        </message>
        <message>
            <source>no event at a venue</source>
            <translation>aucun événement sur un site</translation>
        </message>
        <message>
            <source>no event in a drawn zone</source>
            <translation>aucun événement dans une zone dessinée</translation>
        </message>
        <message>
            <source>Oversight (%1)</source>
            <translation>Vigilance (%1)</translation>
        </message>
        <message>
            <source>No oversight alarm</source>
            <translation>Aucune alerte de vigilance</translation>
        </message>
    </context>
    <context>
        <name>EventDetailPanel</name>
        <message>
            <source>Add a follow-up (Ctrl+Enter)</source>
            <translation>Ajouter un suivi (Ctrl+Entrée)</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>Ajouter</translation>
        </message>
        <message>
            <source>Acknowledge</source>
            <translation>Prendre en compte</translation>
        </message>
        <message>
            <source>In progress</source>
            <translation>En cours</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Clore</translation>
        </message>
        <message>
            <source>Reopen</source>
            <translation>Rouvrir</translation>
        </message>
        <message>
            <source>Link...</source>
            <translation>Lier...</translation>
        </message>
        <message>
            <source>&lt;i&gt;Select an entry to see its follow-ups.&lt;/i&gt;</source>
            <translation>&lt;i&gt;Sélectionnez une entrée pour voir ses suivis.&lt;/i&gt;</translation>
        </message>
        <message>
            <source>Occurred %1 · written %2 by %3 (%4)</source>
            <translation>Survenu %1 · saisi %2 par %3 (%4)</translation>
        </message>
        <message>
            <source>linked as %1 by</source>
            <translation>lié comme %1 par</translation>
        </message>
        <message>
            <source>(not applied: the event was closed)</source>
            <translation>(non appliqué : l'événement était clos)</translation>
        </message>
    </context>
    <context>
        <name>EventFormDialog</name>
        <message>
            <source>New log entry</source>
            <translation>Nouvelle entrée de main courante</translation>
        </message>
        <message>
            <source>What happened, in a few words</source>
            <translation>Ce qui s'est passé, en quelques mots</translation>
        </message>
        <message>
            <source>Details (Shift+Enter for a new line)</source>
            <translation>Détails (Maj+Entrée pour une nouvelle ligne)</translation>
        </message>
        <message>
            <source>- choose -</source>
            <translation>- choisir -</translation>
        </message>
        <message>
            <source>Place name (venue, station, address)</source>
            <translation>Nom du lieu (site, gare, adresse)</translation>
        </message>
        <message>
            <source>Who reported it</source>
            <translation>Qui l'a signalé</translation>
        </message>
        <message>
            <source>Flag for the authorities</source>
            <translation>Signaler aux autorités</translation>
        </message>
        <message>
            <source>&amp;Title</source>
            <translation>&amp;Titre</translation>
        </message>
        <message>
            <source>&amp;Description</source>
            <translation>&amp;Description</translation>
        </message>
        <message>
            <source>&amp;Category</source>
            <translation>&amp;Catégorie</translation>
        </message>
        <message>
            <source>Se&amp;verity</source>
            <translation>&amp;Gravité</translation>
        </message>
        <message>
            <source>&amp;Occurred at</source>
            <translation>&amp;Survenu à</translation>
        </message>
        <message>
            <source>&amp;Place</source>
            <translation>&amp;Lieu</translation>
        </message>
        <message>
            <source>Latitude / longitude</source>
            <translation>Latitude / longitude</translation>
        </message>
        <message>
            <source>&amp;Source</source>
            <translation>S&amp;ource</translation>
        </message>
    </context>
    <context>
        <name>EventLogPane</name>
        <message>
            <source>New entry (Ctrl+N)</source>
            <translation>Nouvelle entrée (Ctrl+N)</translation>
        </message>
        <message>
            <source>Export CSV</source>
            <translation>Exporter en CSV</translation>
        </message>
        <message>
            <source>Export GeoJSON</source>
            <translation>Exporter en GeoJSON</translation>
        </message>
        <message>
            <source>New entry</source>
            <translation>Nouvelle entrée</translation>
        </message>
        <message>
            <source>Search the log</source>
            <translation>Rechercher dans la main courante</translation>
        </message>
        <message numerus="yes">
            <source>%n entries</source>
            <translation>
                <numerusform>%n entrée</numerusform>
                <numerusform>%n entrées</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>▲ %n new entries</source>
            <translation>
                <numerusform>▲ %n nouvelle entrée</numerusform>
                <numerusform>▲ %n nouvelles entrées</numerusform>
            </translation>
        </message>
        <message>
            <source>Export the current view</source>
            <translation>Exporter la vue courante</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>Échec de l'export</translation>
        </message>
    </context>
    <context>
        <name>EventTableModel</name>
        <message>
            <source>Time (%1)</source>
            <translation>Heure (%1)</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>Gravité</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Titre</translation>
        </message>
        <message>
            <source>Place</source>
            <translation>Lieu</translation>
        </message>
        <message>
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Auteur</translation>
        </message>
        <message>
            <source>Acknowledged by</source>
            <translation>Pris en compte par</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>All time</source>
            <translation>Toute la période</translation>
        </message>
        <message>
            <source>Last hour</source>
            <translation>Dernière heure</translation>
        </message>
        <message>
            <source>Last 6 hours</source>
            <translation>6 dernières heures</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>24 dernières heures</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>7 derniers jours</translation>
        </message>
        <message>
            <source>Custom...</source>
            <translation>Personnalisée...</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>Gravité</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <source>Search title, description, place (Ctrl+F)</source>
            <translation>Rechercher titre, description, lieu (Ctrl+F)</translation>
        </message>
        <message>
            <source>Save view</source>
            <translation>Enregistrer la vue</translation>
        </message>
        <message>
            <source>Delete view</source>
            <translation>Supprimer la vue</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Effacer</translation>
        </message>
        <message>
            <source>Saved views</source>
            <translation>Vues enregistrées</translation>
        </message>
        <message>
            <source>Name of the view:</source>
            <translation>Nom de la vue :</translation>
        </message>
    </context>
    <context>
        <name>FirstRunWizard</name>
        <message>
            <source>Console - first start</source>
            <translation>Console - premier démarrage</translation>
        </message>
    </context>
    <context>
        <name>GraphicsScene</name>
        <message>
            <source>Export...</source>
            <translation>Exporter...</translation>
        </message>
    </context>
    <context>
        <name>HelpDialog</name>
        <message>
            <source>Event log</source>
            <translation>Main courante</translation>
        </message>
        <message>
            <source>The main courante: every event of the centre, newest first. Ctrl+N writes a new entry; Ctrl+F searches titles, descriptions and places; the period and category filters also drive the map. Select an entry to read and add its follow-ups (Ctrl+Enter). Entries are never edited or deleted: add a correction instead.</source>
            <translation>La main courante : tous les événements du centre, les plus récents en premier. Ctrl+N saisit une nouvelle entrée ; Ctrl+F cherche dans les titres, descriptions et lieux ; les filtres de période et de catégorie pilotent aussi la carte. Sélectionnez une entrée pour lire et ajouter ses suivis (Ctrl+Entrée). Une entrée n'est jamais modifiée ni supprimée : ajoutez une rectification.</translation>
        </message>
        <message>
            <source>Map</source>
            <translation>Carte</translation>
        </message>
        <message>
            <source>The events of the log's current filter, the venues and the drawn zones. Click a marker to select its entry; right-click on the map to start an entry at that point; use the drawing tools to add a zone. The map works offline from the tile cache (console tiles prefetch).</source>
            <translation>Les événements du filtre courant de la main courante, les sites et les zones dessinées. Cliquez un marqueur pour sélectionner son entrée ; clic droit sur la carte pour saisir une entrée à cet endroit ; les outils de dessin ajoutent une zone. La carte fonctionne hors ligne grâce au cache de tuiles (console tiles prefetch).</translation>
        </message>
        <message>
            <source>Shift planning</source>
            <translation>Planning des vacations</translation>
        </message>
        <message>
            <source>Who is on duty at which desk for each shift. Rest and working-time rules are checked on every change; an override needs a reason and is recorded.</source>
            <translation>Qui est de service à quel pupitre pour chaque vacation. Les règles de repos et de temps de travail sont vérifiées à chaque modification ; une dérogation exige un motif et est enregistrée.</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Tableau de bord</translation>
        </message>
        <message>
            <source>Figures of the last 24 hours, open events by severity, events per venue and zone, and the oversight lists (entries not acknowledged, critical entries without follow-up).</source>
            <translation>Chiffres des dernières 24 heures, événements ouverts par gravité, événements par site et par zone, et listes de vigilance (entrées non prises en compte, entrées critiques sans suivi).</translation>
        </message>
        <message>
            <source>Help</source>
            <translation>Aide</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>Touches</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Raccourcis clavier</translation>
        </message>
        <message>
            <source>Diagnostics</source>
            <translation>Diagnostic</translation>
        </message>
        <message>
            <source>Run &lt;tt&gt;console doctor&lt;/tt&gt; in a terminal to check the configuration, the keyring, the local store, the tile cache and the link to the central database; &lt;tt&gt;console --self-test&lt;/tt&gt; checks the installation.</source>
            <translation>Lancez &lt;tt&gt;console doctor&lt;/tt&gt; dans un terminal pour vérifier la configuration, le trousseau, la base locale, le cache de tuiles et la liaison avec la base centrale ; &lt;tt&gt;console --self-test&lt;/tt&gt; vérifie l'installation.</translation>
        </message>
        <message>
            <source>Panes</source>
            <translation>Volets</translation>
        </message>
        <message>
            <source>Press F1 at any time to open this help.</source>
            <translation>Appuyez sur F1 à tout moment pour ouvrir cette aide.</translation>
        </message>
        <message>
            <source>Keyboard shortcuts and &amp;help</source>
            <translation>Raccourcis clavier et &amp;aide</translation>
        </message>
    </context>
    <context>
        <name>IdentityPage</name>
        <message>
            <source>Centre and user</source>
            <translation>Centre et utilisateur</translation>
        </message>
        <message>
            <source>The centre this workstation belongs to and who usually signs in on it (each operator still signs in with their own account).</source>
            <translation>Le centre de ce poste et la personne qui s'y connecte d'habitude (chaque opérateur se connecte toujours avec son propre compte).</translation>
        </message>
        <message>
            <source>user name</source>
            <translation>identifiant</translation>
        </message>
        <message>
            <source>&amp;Centre:</source>
            <translation>&amp;Centre :</translation>
        </message>
        <message>
            <source>&amp;User:</source>
            <translation>&amp;Utilisateur :</translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message>
            <source>Import events</source>
            <translation>Importer des événements</translation>
        </message>
        <message>
            <source>Open a file...</source>
            <translation>Ouvrir un fichier...</translation>
        </message>
        <message>
            <source>Repeated hour at a clock change: refuse the line</source>
            <translation>Heure répétée au changement d'heure : refuser la ligne</translation>
        </message>
        <message>
            <source>Repeated hour: the first one (summer time)</source>
            <translation>Heure répétée : la première (heure d'été)</translation>
        </message>
        <message>
            <source>Repeated hour: the second one (winter time)</source>
            <translation>Heure répétée : la seconde (heure d'hiver)</translation>
        </message>
        <message>
            <source>CSV from another log, a CAP 1.2 alert (.xml), GeoJSON or KML.</source>
            <translation>CSV d'une autre main courante, alerte CAP 1.2 (.xml), GeoJSON ou KML.</translation>
        </message>
        <message>
            <source>Line</source>
            <translation>Ligne</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Sev.</source>
            <translation>Grav.</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Titre</translation>
        </message>
        <message>
            <source>Why it is refused</source>
            <translation>Motif du refus</translation>
        </message>
        <message>
            <source>To import</source>
            <translation>À importer</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Refusées</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>Importer</translation>
        </message>
        <message>
            <source>CSV, CAP, GeoJSON or KML (*.csv *.txt *.xml *.cap *.geojson *.json *.kml);;All files (*)</source>
            <translation>CSV, CAP, GeoJSON ou KML (*.csv *.txt *.xml *.cap *.geojson *.json *.kml);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>Reading and checking the file...</source>
            <translation>Lecture et vérification du fichier...</translation>
        </message>
        <message numerus="yes">
            <source>Import the valid lines, leave out %n refused line(s)</source>
            <translation>
                <numerusform>Importer les lignes valides (%n ligne refusée laissée de côté)</numerusform>
                <numerusform>Importer les lignes valides (%n lignes refusées laissées de côté)</numerusform>
            </translation>
        </message>
        <message>
            <source>Warning: %1: %2</source>
            <translation>Avertissement : %1 : %2</translation>
        </message>
        <message>
            <source>To import (%1)</source>
            <translation>À importer (%1)</translation>
        </message>
        <message>
            <source>Refused (%1)</source>
            <translation>Refusées (%1)</translation>
        </message>
        <message>
            <source>%1 to import, %2 refused.</source>
            <translation>%1 à importer, %2 refusés.</translation>
        </message>
        <message>
            <source>CAP 1.2 alert from %1, valid.</source>
            <translation>Alerte CAP 1.2 de %1, valide.</translation>
        </message>
        <message>
            <source>%1 lines: %2 to import, %3 refused. Columns: %4.</source>
            <translation>%1 lignes : %2 à importer, %3 refusées. Colonnes : %4.</translation>
        </message>
        <message>
            <source>Ignored: %1.</source>
            <translation>Ignorées : %1.</translation>
        </message>
        <message>
            <source>Done: %1.</source>
            <translation>Terminé : %1.</translation>
        </message>
    </context>
    <context>
        <name>LinkDialog</name>
        <message>
            <source>Link to another entry</source>
            <translation>Lier à une autre entrée</translation>
        </message>
        <message>
            <source>Search the log (words of the title, place...)</source>
            <translation>Rechercher dans la main courante (mots du titre, lieu...)</translation>
        </message>
        <message>
            <source>Choose the entry to link to.</source>
            <translation>Choisissez l'entrée à lier.</translation>
        </message>
    </context>
    <context>
        <name>LockCover</name>
        <message>
            <source>Workstation locked</source>
            <translation>Poste verrouillé</translation>
        </message>
        <message>
            <source>Signed in: %1</source>
            <translation>Connecté : %1</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>Déverrouiller</translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>Se déconnecter</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Console - %1</source>
            <translation>Console - %1</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Fichier</translation>
        </message>
        <message>
            <source>Situation &amp;report...</source>
            <translation>&amp;Point de situation...</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Affichage</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Aide</translation>
        </message>
        <message>
            <source>&amp;Import (CAP, CSV, GeoJSON, KML)...</source>
            <translation>&amp;Importer (CAP, CSV, GeoJSON, KML)...</translation>
        </message>
        <message>
            <source>User: %1</source>
            <translation>Utilisateur : %1</translation>
        </message>
        <message>
            <source>Centre: %1</source>
            <translation>Centre : %1</translation>
        </message>
        <message numerus="yes">
            <source>⚠ %n refused</source>
            <translation>
                <numerusform>⚠ %n refusée</numerusform>
                <numerusform>⚠ %n refusées</numerusform>
            </translation>
        </message>
        <message>
            <source>EXERCISE - exercise data only, no real events</source>
            <translation>EXERCICE - données d'exercice uniquement, aucun événement réel</translation>
        </message>
        <message>
            <source>Exercise</source>
            <translation>Exercice</translation>
        </message>
        <message>
            <source>[EXERCISE]</source>
            <translation>[EXERCICE]</translation>
        </message>
        <message>
            <source>EXERCISE</source>
            <translation>EXERCICE</translation>
        </message>
    </context>
    <context>
        <name>MapPane</name>
        <message>
            <source>The map stopped (code %1); reloading it.</source>
            <translation>La carte s'est arrêtée (code %1) ; rechargement.</translation>
        </message>
        <message numerus="yes">
            <source>%n event(s) on the map</source>
            <translation>
                <numerusform>%n événement sur la carte</numerusform>
                <numerusform>%n événements sur la carte</numerusform>
            </translation>
        </message>
        <message>
            <source>New zone</source>
            <translation>Nouvelle zone</translation>
        </message>
        <message>
            <source>Name of the circular zone:</source>
            <translation>Nom de la zone circulaire :</translation>
        </message>
        <message>
            <source>Name of the zone:</source>
            <translation>Nom de la zone :</translation>
        </message>
        <message>
            <source>The drawn zone could not be read; nothing was saved.</source>
            <translation>La zone dessinée n'a pas pu être lue ; rien n'a été enregistré.</translation>
        </message>
        <message>
            <source>Zone not saved: %1</source>
            <translation>Zone non enregistrée : %1</translation>
        </message>
        <message>
            <source>Zone drawing cancelled.</source>
            <translation>Tracé de zone annulé.</translation>
        </message>
        <message>
            <source>Zone “%1” saved.</source>
            <translation>Zone « %1 » enregistrée.</translation>
        </message>
    </context>
    <context>
        <name>ModePage</name>
        <message>
            <source>Welcome</source>
            <translation>Bienvenue</translation>
        </message>
        <message>
            <source>Where does this workstation keep its log?</source>
            <translation>Où ce poste tient-il sa main courante ?</translation>
        </message>
        <message>
            <source>Embedded &amp;demo: the Paris 2024 scenario, nothing to configure (training, evaluation)</source>
            <translation>&amp;Démo intégrée : le scénario Paris 2024, rien à configurer (formation, évaluation)</translation>
        </message>
        <message>
            <source>&amp;Central database of the command centre (PostgreSQL)</source>
            <translation>Base &amp;centrale du centre de commandement (PostgreSQL)</translation>
        </message>
    </context>
    <context>
        <name>Operations</name>
        <message>
            <source>The operation failed; the details are in the log file.</source>
            <translation>L'opération a échoué ; le détail est dans le journal de l'application.</translation>
        </message>
    </context>
    <context>
        <name>OversightList</name>
        <message>
            <source>Waiting</source>
            <translation>Attente</translation>
        </message>
        <message>
            <source>Occurred</source>
            <translation>Survenu</translation>
        </message>
        <message>
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <source>Sev.</source>
            <translation>Grav.</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Titre</translation>
        </message>
        <message>
            <source>Place</source>
            <translation>Lieu</translation>
        </message>
    </context>
    <context>
        <name>OversightView</name>
        <message>
            <source>Not acknowledged after</source>
            <translation>Non pris en compte après</translation>
        </message>
        <message>
            <source>Critical without follow-up for</source>
            <translation>Critique sans suivi depuis</translation>
        </message>
        <message>
            <source>Not acknowledged</source>
            <translation>Non pris en compte</translation>
        </message>
        <message>
            <source>Critical without follow-up</source>
            <translation>Critique sans suivi</translation>
        </message>
        <message>
            <source>Flagged for the authorities</source>
            <translation>Signalé aux autorités</translation>
        </message>
    </context>
    <context>
        <name>PlannerPanel</name>
        <message>
            <source>Stop and keep the best roster</source>
            <translation>Arrêter et garder le meilleur planning</translation>
        </message>
        <message>
            <source>Ends the planner now; the best legal roster found so far goes into the draft (undo removes it)</source>
            <translation>Arrête le planificateur ; le meilleur planning conforme trouvé jusqu'ici passe dans le brouillon (Annuler le retire)</translation>
        </message>
        <message>
            <source>Looking for a first legal roster…</source>
            <translation>Recherche d'un premier planning conforme…</translation>
        </message>
        <message>
            <source>%1 s of %2 s</source>
            <translation>%1 s sur %2 s</translation>
        </message>
        <message>
            <source>Stopping: keeping the best roster found so far…</source>
            <translation>Arrêt : conservation du meilleur planning trouvé jusqu'ici…</translation>
        </message>
        <message>
            <source>first legal roster</source>
            <translation>premier planning conforme</translation>
        </message>
        <message>
            <source>balancing</source>
            <translation>équilibrage</translation>
        </message>
        <message>
            <source>%1 s: %2</source>
            <translation>%1 s : %2</translation>
        </message>
        <message>
            <source>Best roster so far (%2, at %1 s): a spread of %3 night(s) and %4 weekend shift(s) between operators</source>
            <translation>Meilleur planning trouvé (%2, à %1 s) : un écart de %3 nuit(s) et %4 vacation(s) de week-end entre agents</translation>
        </message>
        <message>
            <source>Spread between operators: %1 night(s), %2 weekend shift(s)</source>
            <translation>Écart entre agents : %1 nuit(s), %2 vacation(s) de week-end</translation>
        </message>
        <message>
            <source>optimal</source>
            <translation>optimal</translation>
        </message>
        <message>
            <source>done</source>
            <translation>terminé</translation>
        </message>
        <message>
            <source>stopped, best roster kept</source>
            <translation>arrêté, meilleur planning conservé</translation>
        </message>
        <message>
            <source>no complete roster</source>
            <translation>pas de planning complet</translation>
        </message>
        <message>
            <source>no roster found</source>
            <translation>aucun planning trouvé</translation>
        </message>
        <message>
            <source>error</source>
            <translation>erreur</translation>
        </message>
        <message>
            <source>Planner: %1 in %2 s</source>
            <translation>Planificateur : %1 en %2 s</translation>
        </message>
    </context>
    <context>
        <name>QAbstractTableModel</name>
        <message>
            <source>Security</source>
            <translation>Sécurité</translation>
        </message>
        <message>
            <source>Health</source>
            <translation>Santé</translation>
        </message>
        <message>
            <source>Transport</source>
            <translation>Transport</translation>
        </message>
        <message>
            <source>Cyber</source>
            <translation>Cyber</translation>
        </message>
        <message>
            <source>Logistics</source>
            <translation>Logistique</translation>
        </message>
        <message>
            <source>Crowd</source>
            <translation>Foule</translation>
        </message>
        <message>
            <source>Media</source>
            <translation>Médias</translation>
        </message>
        <message>
            <source>Low</source>
            <translation>Faible</translation>
        </message>
        <message>
            <source>Moderate</source>
            <translation>Modérée</translation>
        </message>
        <message>
            <source>High</source>
            <translation>Élevée</translation>
        </message>
        <message>
            <source>Critical</source>
            <translation>Critique</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Ouvert</translation>
        </message>
        <message>
            <source>In progress</source>
            <translation>En cours</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>Clos</translation>
        </message>
        <message>
            <source>conflict: %1 set %2 after it was closed by %3</source>
            <translation>conflit : %1 a mis %2 après la clôture par %3</translation>
        </message>
    </context>
    <context>
        <name>QMainWindow</name>
        <message>
            <source>Event log</source>
            <translation>Main courante</translation>
        </message>
    </context>
    <context>
        <name>QWidget</name>
        <message>
            <source>Follow-up</source>
            <translation>Suivi</translation>
        </message>
        <message>
            <source>Correction</source>
            <translation>Rectification</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Acknowledged</source>
            <translation>Pris en compte</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Décision</translation>
        </message>
        <message>
            <source>duplicate of</source>
            <translation>doublon de</translation>
        </message>
        <message>
            <source>caused by</source>
            <translation>causé par</translation>
        </message>
        <message>
            <source>related to</source>
            <translation>lié à</translation>
        </message>
    </context>
    <context>
        <name>RefusedChangesDialog</name>
        <message>
            <source>Changes refused by the central database</source>
            <translation>Modifications refusées par la base centrale</translation>
        </message>
        <message>
            <source>These changes are kept on this workstation exactly as they were written. Retry once the cause is fixed, export them to pass them on another way, or (supervisor) discard them.</source>
            <translation>Ces modifications sont conservées sur ce poste telles qu'elles ont été saisies. Relancez-les une fois la cause corrigée, exportez-les pour les transmettre autrement, ou (superviseur) abandonnez-les.</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Saisie</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Auteur</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Modification</translation>
        </message>
        <message>
            <source>Refused because</source>
            <translation>Motif du refus</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Relancer</translation>
        </message>
        <message>
            <source>Export...</source>
            <translation>Exporter...</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>Abandonner</translation>
        </message>
        <message>
            <source>Only a supervisor may discard a change</source>
            <translation>Seul un superviseur peut abandonner une modification</translation>
        </message>
        <message>
            <source>Export refused changes</source>
            <translation>Exporter les modifications refusées</translation>
        </message>
        <message>
            <source>Discard refused changes</source>
            <translation>Abandonner les modifications refusées</translation>
        </message>
        <message numerus="yes">
            <source>Discard %n change(s)? They are put back as the central database has them; this decision is recorded in the audit trail.</source>
            <translation>
                <numerusform>Abandonner %n modification ? La ligne est remise telle que la base centrale l'a ; cette décision est inscrite au journal d'audit.</numerusform>
                <numerusform>Abandonner %n modifications ? Les lignes sont remises telles que la base centrale les a ; cette décision est inscrite au journal d'audit.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ReportDialog</name>
        <message>
            <source>Situation report</source>
            <translation>Point de situation</translation>
        </message>
        <message>
            <source>All centres</source>
            <translation>Tous les centres</translation>
        </message>
        <message>
            <source>All categories</source>
            <translation>Toutes les catégories</translation>
        </message>
        <message>
            <source>All zones</source>
            <translation>Toutes les zones</translation>
        </message>
        <message>
            <source>Browse...</source>
            <translation>Parcourir...</translation>
        </message>
        <message>
            <source>Also write the HTML version</source>
            <translation>Écrire aussi la version HTML</translation>
        </message>
        <message>
            <source>Language the report is written in, whatever the interface's</source>
            <translation>Langue dans laquelle le rapport est rédigé, quelle que soit celle de l'interface</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Du</translation>
        </message>
        <message>
            <source>To</source>
            <translation>Au</translation>
        </message>
        <message>
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <source>Zone</source>
            <translation>Zone</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <source>Report language</source>
            <translation>Langue du rapport</translation>
        </message>
        <message>
            <source>PDF file</source>
            <translation>Fichier PDF</translation>
        </message>
        <message>
            <source>Exercise session: the report will be marked EXERCICE / EXERCISE on every page.</source>
            <translation>Session d'exercice : le rapport portera la mention EXERCICE / EXERCISE sur chaque page.</translation>
        </message>
        <message>
            <source>Generate</source>
            <translation>Générer</translation>
        </message>
        <message>
            <source>Save the report</source>
            <translation>Enregistrer le rapport</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Building the report: %1</source>
            <translation>Préparation du rapport : %1</translation>
        </message>
        <message>
            <source>The folder %1 does not exist.</source>
            <translation>Le dossier %1 n'existe pas.</translation>
        </message>
        <message>
            <source>Written: %1 (%2 pages, %3 events)</source>
            <translation>Écrit : %1 (%2 pages, %3 événements)</translation>
        </message>
    </context>
    <context>
        <name>RosterPane</name>
        <message>
            <source>Operators × days</source>
            <translation>Opérateurs × jours</translation>
        </message>
        <message>
            <source>Desk:</source>
            <translation>Pupitre :</translation>
        </message>
        <message>
            <source>Desks × shifts</source>
            <translation>Pupitres × vacations</translation>
        </message>
        <message>
            <source>Desk used when a shift is typed in the grid (type its letter, e.g. M, A, N)</source>
            <translation>Pupitre utilisé quand une vacation est saisie dans la grille (tapez sa lettre, ex. M, A, N)</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>Rétablir</translation>
        </message>
        <message>
            <source>Plan period</source>
            <translation>Planifier la période</translation>
        </message>
        <message>
            <source>Fill holes</source>
            <translation>Combler les trous</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Arrêter</translation>
        </message>
        <message>
            <source>Publish</source>
            <translation>Publier</translation>
        </message>
        <message>
            <source>Derogation…</source>
            <translation>Dérogation…</translation>
        </message>
        <message>
            <source>Rules…</source>
            <translation>Règles…</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Exporter</translation>
        </message>
        <message>
            <source>iCalendar per operator…</source>
            <translation>iCalendar par opérateur…</translation>
        </message>
        <message>
            <source>CSV…</source>
            <translation>CSV…</translation>
        </message>
        <message>
            <source>PDF…</source>
            <translation>PDF…</translation>
        </message>
        <message>
            <source>Rule checks</source>
            <translation>Contrôle des règles</translation>
        </message>
        <message>
            <source>Swaps</source>
            <translation>Échanges</translation>
        </message>
        <message>
            <source>Sync conflicts</source>
            <translation>Conflits de synchronisation</translation>
        </message>
        <message>
            <source>Approve</source>
            <translation>Approuver</translation>
        </message>
        <message>
            <source>Refuse</source>
            <translation>Refuser</translation>
        </message>
        <message>
            <source>Keep current</source>
            <translation>Garder la version actuelle</translation>
        </message>
        <message>
            <source>Keep the other edit</source>
            <translation>Garder l'autre modification</translation>
        </message>
        <message>
            <source>Swaps (%1)</source>
            <translation>Échanges (%1)</translation>
        </message>
        <message>
            <source>Sync conflicts (%1)</source>
            <translation>Conflits de synchronisation (%1)</translation>
        </message>
        <message>
            <source>Swap</source>
            <translation>Échange</translation>
        </message>
        <message>
            <source>Offer to:</source>
            <translation>Proposer à :</translation>
        </message>
        <message>
            <source>Sync conflict</source>
            <translation>Conflit de synchronisation</translation>
        </message>
        <message>
            <source>%1 (advice)</source>
            <translation>%1 (recommandation)</translation>
        </message>
        <message>
            <source>No roster</source>
            <translation>Aucun planning</translation>
        </message>
        <message>
            <source>%1 shifts · %2 broken rule(s) · %3 accepted by derogation · %4 advice</source>
            <translation>%1 vacations · %2 règle(s) enfreinte(s) · %3 acceptée(s) par dérogation · %4 recommandation(s)</translation>
        </message>
        <message>
            <source>Shift cut: paste it on another cell (Ctrl+V)</source>
            <translation>Vacation coupée : collez-la sur une autre case (Ctrl+V)</translation>
        </message>
        <message>
            <source>Offer this shift to a colleague…</source>
            <translation>Proposer cette vacation à un collègue…</translation>
        </message>
        <message>
            <source>Roster</source>
            <translation>Planning</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <source>Assign</source>
            <translation>Affecter</translation>
        </message>
        <message>
            <source>Operator:</source>
            <translation>Opérateur :</translation>
        </message>
        <message>
            <source>Remove %1</source>
            <translation>Retirer %1</translation>
        </message>
        <message>
            <source>Assign %1</source>
            <translation>Affecter %1</translation>
        </message>
        <message>
            <source>Fix / unfix (kept by the planner)</source>
            <translation>Figer / libérer (conservée par le planificateur)</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Arrêt…</translation>
        </message>
        <message>
            <source>Cannot be met:</source>
            <translation>Impossible à respecter :</translation>
        </message>
        <message>
            <source>Derogation</source>
            <translation>Dérogation</translation>
        </message>
        <message>
            <source>Select the violation to accept in the list.</source>
            <translation>Sélectionnez dans la liste l'infraction à accepter.</translation>
        </message>
        <message>
            <source>Reason for accepting “%1” (recorded):</source>
            <translation>Motif d'acceptation de « %1 » (enregistré) :</translation>
        </message>
        <message>
            <source>Folder for the calendars</source>
            <translation>Dossier des calendriers</translation>
        </message>
        <message>
            <source>Shift</source>
            <translation>Vacation</translation>
        </message>
        <message>
            <source>%1 calendar(s) written</source>
            <translation>%1 calendrier(s) écrit(s)</translation>
        </message>
        <message>
            <source>CSV file</source>
            <translation>Fichier CSV</translation>
        </message>
        <message>
            <source>PDF file</source>
            <translation>Fichier PDF</translation>
        </message>
    </context>
    <context>
        <name>RosterPrint</name>
        <message>
            <source>Shift</source>
            <translation>Vacation</translation>
        </message>
        <message>
            <source>Week of %1</source>
            <translation>Semaine du %1</translation>
        </message>
        <message>
            <source>Operator</source>
            <translation>Opérateur</translation>
        </message>
        <message>
            <source>%1 · %2 to %3 · %4 shifts · %5 broken rule(s)</source>
            <translation>%1 · du %2 au %3 · %4 vacations · %5 règle(s) enfreinte(s)</translation>
        </message>
    </context>
    <context>
        <name>RulesDialog</name>
        <message>
            <source>Working-time rules</source>
            <translation>Règles du temps de travail</translation>
        </message>
        <message>
            <source>Decree 2000-815 art. 3-I; a service working under a derogation sets its own values. Rules marked advice block nothing.</source>
            <translation>Décret 2000-815 art. 3-I ; un service qui travaille sous dérogation fixe ses propres valeurs. Les règles marquées « recommandation » ne bloquent rien.</translation>
        </message>
        <message>
            <source>Rules of this roster</source>
            <translation>Règles de ce planning</translation>
        </message>
        <message>
            <source>Break recorded in each shift</source>
            <translation>Pause prévue dans chaque vacation</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Paramètres</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Langue du système</translation>
        </message>
        <message>
            <source>Language of the interface; applied at the next start</source>
            <translation>Langue de l'interface ; appliquée au prochain démarrage</translation>
        </message>
        <message>
            <source>Embedded demo (no central database)</source>
            <translation>Démo intégrée (sans base centrale)</translation>
        </message>
        <message>
            <source>Central PostgreSQL database, without the password</source>
            <translation>Base centrale PostgreSQL, sans le mot de passe</translation>
        </message>
        <message>
            <source>unchanged</source>
            <translation>inchangé</translation>
        </message>
        <message>
            <source>Kept in the system keyring, never in a file</source>
            <translation>Conservé dans le trousseau du système, jamais dans un fichier</translation>
        </message>
        <message>
            <source>Times are shown in the centre's time zone, named after each time (e.g. 14:05 CEST)</source>
            <translation>Les heures sont affichées dans le fuseau du centre, nommé après chaque heure (ex. 14:05 CEST)</translation>
        </message>
        <message>
            <source>Now: %1</source>
            <translation>Maintenant : %1</translation>
        </message>
        <message>
            <source>Interface</source>
            <translation>Interface</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Langue :</translation>
        </message>
        <message>
            <source>Centre time zone:</source>
            <translation>Fuseau horaire du centre :</translation>
        </message>
        <message>
            <source>Central database</source>
            <translation>Base centrale</translation>
        </message>
        <message>
            <source>&amp;URL:</source>
            <translation>&amp;URL :</translation>
        </message>
        <message>
            <source>&amp;Password:</source>
            <translation>&amp;Mot de passe :</translation>
        </message>
        <message>
            <source>Changes of language or database apply at the next start.</source>
            <translation>Les changements de langue ou de base s'appliquent au prochain démarrage.</translation>
        </message>
        <message>
            <source>&amp;Settings...</source>
            <translation>&amp;Paramètres...</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <source>Console - sign in</source>
            <translation>Console - connexion</translation>
        </message>
        <message>
            <source>Remember the password in the system keyring</source>
            <translation>Retenir le mot de passe dans le trousseau du système</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>Identifiant</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>Se connecter</translation>
        </message>
        <message>
            <source>Signing in...</source>
            <translation>Connexion...</translation>
        </message>
    </context>
    <context>
        <name>Staffing</name>
        <message>
            <source>roster not available</source>
            <translation>planning non disponible</translation>
        </message>
        <message>
            <source>no published roster covers this moment</source>
            <translation>aucun planning publié ne couvre ce moment</translation>
        </message>
    </context>
    <context>
        <name>SyncProgressBar</name>
        <message>
            <source>Sending %v/%m</source>
            <translation>Envoi %v/%m</translation>
        </message>
    </context>
    <context>
        <name>WorkstationLock</name>
        <message>
            <source>Console - locked</source>
            <translation>Console - verrouillée</translation>
        </message>
        <message>
            <source>Wrong password.</source>
            <translation>Mot de passe incorrect.</translation>
        </message>
    </context>
    <context>
        <name>dialog</name>
        <message>
            <source>Saved. Restart the console to apply a new language or database.</source>
            <translation>Enregistré. Redémarrez la console pour appliquer une nouvelle langue ou base.</translation>
        </message>
    </context>
    <context>
        <name>window</name>
        <message>
            <source>&amp;Lock workstation</source>
            <translation>&amp;Verrouiller le poste</translation>
        </message>
        <message>
            <source>Sign &amp;out</source>
            <translation>Se &amp;déconnecter</translation>
        </message>
        <message>
            <source>&amp;Security</source>
            <translation>&amp;Sécurité</translation>
        </message>
        <message>
            <source>&amp;Users and roles...</source>
            <translation>&amp;Utilisateurs et rôles...</translation>
        </message>
        <message>
            <source>&amp;Audit trail</source>
            <translation>&amp;Journal d'audit</translation>
        </message>
    </context>
</TS>
