<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>ConnectionIndicator</name>
        <message numerus="yes">
            <source>%n change(s) waiting</source>
            <translation>
                <numerusform>%n change waiting</numerusform>
                <numerusform>%n changes waiting</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) refused</source>
            <translation>
                <numerusform>%n change refused</numerusform>
                <numerusform>%n changes refused</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conflict(s) to resolve</source>
            <translation>
                <numerusform>%n conflict to resolve</numerusform>
                <numerusform>%n conflicts to resolve</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>EventLogPane</name>
        <message numerus="yes">
            <source>%n entries</source>
            <translation>
                <numerusform>%n entry</numerusform>
                <numerusform>%n entries</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>▲ %n new entries</source>
            <translation>
                <numerusform>▲ %n new entry</numerusform>
                <numerusform>▲ %n new entries</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message numerus="yes">
            <source>Import the valid lines, leave out %n refused line(s)</source>
            <translation>
                <numerusform>Import the valid lines, leave out %n refused line</numerusform>
                <numerusform>Import the valid lines, leave out %n refused lines</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <source>⚠ %n refused</source>
            <translation>
                <numerusform>⚠ %n refused</numerusform>
                <numerusform>⚠ %n refused</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MapPane</name>
        <message numerus="yes">
            <source>%n event(s) on the map</source>
            <translation>
                <numerusform>%n event on the map</numerusform>
                <numerusform>%n events on the map</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RefusedChangesDialog</name>
        <message numerus="yes">
            <source>Discard %n change(s)? They are put back as the central database has them; this decision is recorded in the audit trail.</source>
            <translation>
                <numerusform>Discard %n change? They are put back as the central database has them; this decision is recorded in the audit trail.</numerusform>
                <numerusform>Discard %n changes? They are put back as the central database has them; this decision is recorded in the audit trail.</numerusform>
            </translation>
        </message>
    </context>
</TS>
