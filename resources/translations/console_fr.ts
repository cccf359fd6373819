<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
    <context>
        <name />
        <message>
            <location filename="../../console/views/main_window.py" line="+32" />
            <source>Map</source>
            <translation>Carte</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Vacation planning</source>
            <translation>Planning des vacations</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Dashboard</source>
            <translation>Tableau de bord</translation>
        </message>
        <message>
            <location filename="../../console/views/map_pane.py" line="+87" />
            <source>Events</source>
            <translation>Événements</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Zones</source>
            <translation>Zones</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Venues</source>
            <translation>Sites</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Heat map (last 6 h)</source>
            <translation>Carte de chaleur (6 dernières h)</translation>
        </message>
        <message>
            <location line="+0" />
            <source>severity</source>
            <translation>gravité</translation>
        </message>
        <message>
            <location line="+1" />
            <source>open</source>
            <translation>ouvert</translation>
        </message>
        <message>
            <location line="+0" />
            <source>in progress</source>
            <translation>en cours</translation>
        </message>
        <message>
            <location line="+1" />
            <source>closed</source>
            <translation>clos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Draw a zone (polygon)</source>
            <translation>Dessiner une zone (polygone)</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Draw a zone (circle)</source>
            <translation>Dessiner une zone (cercle)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Click the corners; double-click or Enter to finish, Esc to cancel</source>
            <translation>Cliquez les sommets ; double-clic ou Entrée pour terminer, Échap pour annuler</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Click the centre, then the edge; Esc to cancel</source>
            <translation>Cliquez le centre, puis le bord ; Échap pour annuler</translation>
        </message>
    </context>
    <context>
        <name>ConnectionIndicator</name>
        <message>
            <location filename="../../console/views/main_window.py" line="+12" />
            <source>Online</source>
            <translation>En ligne</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Degraded</source>
            <translation>Dégradé</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Offline</source>
            <translation>Hors ligne</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Embedded (demo)</source>
            <translation>Intégré (démo)</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n change(s) waiting</source>
            <translation>
                <numerusform>%n modification en attente</numerusform>
                <numerusform>%n modifications en attente</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n change(s) refused</source>
            <translation>
                <numerusform>%n modification refusée</numerusform>
                <numerusform>%n modifications refusées</numerusform>
            </translation>
        </message>
        <message>
            <location line="+3" />
            <source>last sync %1</source>
            <translation>dernière synchro %1</translation>
        </message>
    </context>
    <context>
        <name>DashboardPane</name>
        <message>
            <location filename="../../console/views/dashboard.py" line="+146" />
            <source>All centres</source>
            <translation>Tous les centres</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Scope:</source>
            <translation>Périmètre :</translation>
        </message>
        <message>
            <location line="+6" />
            <source>events, last 24 h</source>
            <translation>événements, dernières 24 h</translation>
        </message>
        <message>
            <location line="+1" />
            <source>open events</source>
            <translation>événements ouverts</translation>
        </message>
        <message>
            <location line="+1" />
            <source>critical open</source>
            <translation>critiques ouverts</translation>
        </message>
        <message>
            <location line="+1" />
            <source>mean time to acknowledge (24 h)</source>
            <translation>délai moyen de prise en compte (24 h)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>mean time to close (24 h)</source>
            <translation>délai moyen de clôture (24 h)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>flagged for the authorities (24 h)</source>
            <translation>signalés aux autorités (24 h)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>on duty / required</source>
            <translation>en service / requis</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Events per hour by category, last 24 h</source>
            <translation>Événements par heure et catégorie, dernières 24 h</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Open events by severity</source>
            <translation>Événements ouverts par gravité</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Events per venue, last 24 h</source>
            <translation>Événements par site, dernières 24 h</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Events per zone, last 24 h</source>
            <translation>Événements par zone, dernières 24 h</translation>
        </message>
        <message>
            <location line="+26" />
            <source>Figures</source>
            <translation>Chiffres</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+120" />
            <source>Oversight</source>
            <translation>Vigilance</translation>
        </message>
        <message>
            <location line="-45" />
            <source>roster not available</source>
            <translation>planning non disponible</translation>
        </message>
        <message>
            <location line="+1" />
            <source>on duty: roster not available</source>
            <translation>en service : planning non disponible</translation>
        </message>
        <message>
            <location line="+29" />
            <source>no event at a venue</source>
            <translation>aucun événement sur un site</translation>
        </message>
        <message>
            <location line="+3" />
            <source>no event in a drawn zone</source>
            <translation>aucun événement dans une zone dessinée</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Oversight (%1)</source>
            <translation>Vigilance (%1)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>No oversight alarm</source>
            <translation>Aucune alerte de vigilance</translation>
        </message>
    </context>
    <context>
        <name>EventDetailPanel</name>
        <message>
            <location filename="../../console/views/event_detail.py" line="+129" />
            <source>Add a follow-up (Ctrl+Enter)</source>
            <translation>Ajouter un suivi (Ctrl+Entrée)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Add</source>
            <translation>Ajouter</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Acknowledge</source>
            <translation>Prendre en compte</translation>
        </message>
        <message>
            <location line="+1" />
            <source>In progress</source>
            <translation>En cours</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Close</source>
            <translation>Clore</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Reopen</source>
            <translation>Rouvrir</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Link...</source>
            <translation>Lier...</translation>
        </message>
        <message>
            <location line="+42" />
            <source>&lt;i&gt;Select an entry to see its follow-ups.&lt;/i&gt;</source>
            <translation>&lt;i&gt;Sélectionnez une entrée pour voir ses suivis.&lt;/i&gt;</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Occurred %1 · written %2 by %3 (%4)</source>
            <translation>Survenu %1 · saisi %2 par %3 (%4)</translation>
        </message>
        <message>
            <location line="+13" />
            <source>linked as %1 by</source>
            <translation>lié comme %1 par</translation>
        </message>
    </context>
    <context>
        <name>EventFormDialog</name>
        <message>
            <location filename="../../console/views/event_form.py" line="+55" />
            <source>New log entry</source>
            <translation>Nouvelle entrée de main courante</translation>
        </message>
        <message>
            <location line="+4" />
            <source>What happened, in a few words</source>
            <translation>Ce qui s'est passé, en quelques mots</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Details (Shift+Enter for a new line)</source>
            <translation>Détails (Maj+Entrée pour une nouvelle ligne)</translation>
        </message>
        <message>
            <location line="+5" />
            <location line="+4" />
            <source>- choose -</source>
            <translation>- choisir -</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Place name (venue, station, address)</source>
            <translation>Nom du lieu (site, gare, adresse)</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Who reported it</source>
            <translation>Qui l'a signalé</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Flag for the authorities</source>
            <translation>Signaler aux autorités</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Title</source>
            <translation>&amp;Titre</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Description</source>
            <translation>&amp;Description</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Category</source>
            <translation>&amp;Catégorie</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Se&amp;verity</source>
            <translation>&amp;Gravité</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Occurred at</source>
            <translation>&amp;Survenu à</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Place</source>
            <translation>&amp;Lieu</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Latitude / longitude</source>
            <translation>Latitude / longitude</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Source</source>
            <translation>S&amp;ource</translation>
        </message>
    </context>
    <context>
        <name>EventLogPane</name>
        <message>
            <location filename="../../console/views/event_log.py" line="+65" />
            <source>New entry (Ctrl+N)</source>
            <translation>Nouvelle entrée (Ctrl+N)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Export CSV</source>
            <translation>Exporter en CSV</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export GeoJSON</source>
            <translation>Exporter en GeoJSON</translation>
        </message>
        <message>
            <location line="+46" />
            <source>New entry</source>
            <translation>Nouvelle entrée</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Search the log</source>
            <translation>Rechercher dans la main courante</translation>
        </message>
        <message numerus="yes">
            <location line="+28" />
            <source>%n entries</source>
            <translation>
                <numerusform>%n entrée</numerusform>
                <numerusform>%n entrées</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+31" />
            <source>▲ %n new entries</source>
            <translation>
                <numerusform>▲ %n nouvelle entrée</numerusform>
                <numerusform>▲ %n nouvelles entrées</numerusform>
            </translation>
        </message>
        <message>
            <location line="+100" />
            <source>Export the current view</source>
            <translation>Exporter la vue courante</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Export failed</source>
            <translation>Échec de l'export</translation>
        </message>
    </context>
    <context>
        <name>EventTableModel</name>
        <message>
            <location filename="../../console/views/event_table_model.py" line="+123" />
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Severity</source>
            <translation>Gravité</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Title</source>
            <translation>Titre</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Place</source>
            <translation>Lieu</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Author</source>
            <translation>Auteur</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Acknowledged by</source>
            <translation>Pris en compte par</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <location filename="../../console/views/filter_bar.py" line="+83" />
            <source>All time</source>
            <translation>Toute la période</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Last hour</source>
            <translation>Dernière heure</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last 6 hours</source>
            <translation>6 dernières heures</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Last 24 hours</source>
            <translation>24 dernières heures</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last 7 days</source>
            <translation>7 derniers jours</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Custom...</source>
            <translation>Personnalisée...</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Severity</source>
            <translation>Gravité</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Centre</source>
            <translation>Centre</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Search title, description, place (Ctrl+F)</source>
            <translation>Rechercher titre, description, lieu (Ctrl+F)</translation>
        </message>
        <message>
            <location line="+4" />
            <location line="+94" />
            <source>Save view</source>
            <translation>Enregistrer la vue</translation>
        </message>
        <message>
            <location line="-93" />
            <source>Delete view</source>
            <translation>Supprimer la vue</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Clear</source>
            <translation>Effacer</translation>
        </message>
        <message>
            <location line="+87" />
            <source>Saved views</source>
            <translation>Vues enregistrées</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Name of the view:</source>
            <translation>Nom de la vue :</translation>
        </message>
    </context>
    <context>
        <name>LinkDialog</name>
        <message>
            <location filename="../../console/views/event_detail.py" line="-150" />
            <source>Link to another entry</source>
            <translation>Lier à une autre entrée</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Search the log (words of the title, place...)</source>
            <translation>Rechercher dans la main courante (mots du titre, lieu...)</translation>
        </message>
        <message>
            <location line="+34" />
            <source>Choose the entry to link to.</source>
            <translation>Choisissez l'entrée à lier.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../console/views/main_window.py" line="+10" />
            <source>Console - %1</source>
            <translation>Console - %1</translation>
        </message>
        <message>
            <location line="+26" />
            <source>&amp;File</source>
            <translation>&amp;Fichier</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;View</source>
            <translation>&amp;Affichage</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Help</source>
            <translation>&amp;Aide</translation>
        </message>
        <message>
            <location line="+4" />
            <source>User: %1</source>
            <translation>Utilisateur : %1</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Centre: %1</source>
            <translation>Centre : %1</translation>
        </message>
        <message>
            <location line="+13" />
            <source>EXERCISE - exercise data only, no real events</source>
            <translation>EXERCICE - données d'exercice uniquement, aucun événement réel</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Exercise</source>
            <translation>Exercice</translation>
        </message>
        <message>
            <location line="+6" />
            <source>[EXERCISE]</source>
            <translation>[EXERCICE]</translation>
        </message>
        <message>
            <location line="+1" />
            <source>EXERCISE</source>
            <translation>EXERCICE</translation>
        </message>
    </context>
    <context>
        <name>MapPane</name>
        <message numerus="yes">
            <location filename="../../console/views/map_pane.py" line="+70" />
            <source>%n event(s) on the map</source>
            <translation>
                <numerusform>%n événement sur la carte</numerusform>
                <numerusform>%n événements sur la carte</numerusform>
            </translation>
        </message>
        <message>
            <location line="+42" />
            <source>New zone</source>
            <translation>Nouvelle zone</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Name of the circular zone:</source>
            <translation>Nom de la zone circulaire :</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Name of the zone:</source>
            <translation>Nom de la zone :</translation>
        </message>
        <message>
            <location line="+8" />
            <source>The drawn zone could not be read; nothing was saved.</source>
            <translation>La zone dessinée n'a pas pu être lue ; rien n'a été enregistré.</translation>
        </message>
        <message>
            <location line="+4" />
            <location line="+11" />
            <source>Zone not saved: %1</source>
            <translation>Zone non enregistrée : %1</translation>
        </message>
        <message>
            <location line="-7" />
            <source>Zone drawing cancelled.</source>
            <translation>Tracé de zone annulé.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Zone “%1” saved.</source>
            <translation>Zone « %1 » enregistrée.</translation>
        </message>
    </context>
    <context>
        <name>OversightView</name>
        <message>
            <location filename="../../console/views/oversight.py" line="+123" />
            <source>Not acknowledged after</source>
            <translation>Non pris en compte après</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Critical without follow-up for</source>
            <translation>Critique sans suivi depuis</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Not acknowledged</source>
            <translation>Non pris en compte</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Critical without follow-up</source>
            <translation>Critique sans suivi</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Flagged for the authorities</source>
            <translation>Signalé aux autorités</translation>
        </message>
    </context>
    <context>
        <name>PlaceholderPane</name>
        <message>
            <location filename="../../console/views/placeholder.py" line="+11" />
            <source>%1: not available in this version yet.</source>
            <translation>%1 : pas encore disponible dans cette version.</translation>
        </message>
    </context>
    <context>
        <name>QAbstractTableModel</name>
        <message>
            <location filename="../../console/views/event_table_model.py" line="-91" />
            <source>Security</source>
            <translation>Sécurité</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Health</source>
            <translation>Santé</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Transport</source>
            <translation>Transport</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Cyber</source>
            <translation>Cyber</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Logistics</source>
            <translation>Logistique</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Crowd</source>
            <translation>Foule</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Media</source>
            <translation>Médias</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Low</source>
            <translation>Faible</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Moderate</source>
            <translation>Modérée</translation>
        </message>
        <message>
            <location line="+1" />
            <source>High</source>
            <translation>Élevée</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Critical</source>
            <translation>Critique</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Open</source>
            <translation>Ouvert</translation>
        </message>
        <message>
            <location line="+1" />
            <source>In progress</source>
            <translation>En cours</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Closed</source>
            <translation>Clos</translation>
        </message>
    </context>
    <context>
        <name>QMainWindow</name>
        <message>
            <location filename="../../console/views/main_window.py" line="-100" />
            <source>Event log</source>
            <translation>Main courante</translation>
        </message>
    </context>
    <context>
        <name>QWidget</name>
        <message>
            <location filename="../../console/views/event_detail.py" line="-62" />
            <source>Follow-up</source>
            <translation>Suivi</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Correction</source>
            <translation>Rectification</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Acknowledged</source>
            <translation>Pris en compte</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Decision</source>
            <translation>Décision</translation>
        </message>
        <message>
            <location line="+6" />
            <source>duplicate of</source>
            <translation>doublon de</translation>
        </message>
        <message>
            <location line="+1" />
            <source>caused by</source>
            <translation>causé par</translation>
        </message>
        <message>
            <location line="+1" />
            <source>related to</source>
            <translation>lié à</translation>
        </message>
    </context>
    <context>
        <name>SyncProgressBar</name>
        <message>
            <location filename="../../console/views/sync_qt.py" line="+65" />
            <source>Sending %v/%m</source>
            <translation>Envoi %v/%m</translation>
        </message>
    </context>
</TS>
