; Inno Setup script of the Windows installer (Inno Setup 6).
;   iscc /DAppVersion=0.1.0 installers\console.iss        (installers\build_windows.ps1 does it)
; Packs the PyInstaller folder dist\console into dist\console-<version>-setup.exe.
; AppId is FIXED: it is how Windows recognises an upgrade of the same application. Never change it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Console"
#define AppExe "console.exe"

[Setup]
AppId={{BDAE04BE-802E-40B4-A035-8EC92AEF6464}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=console project
DefaultDirName={autopf}\Console
DefaultGroupName=Console
DisableProgramGroupPage=yes
; Per-machine by default (command-centre workstations are managed); per-user when not admin.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=console-{#AppVersion}-setup
SetupIconFile=..\resources\console.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The local cache and settings live in the user's profile: an upgrade or uninstall keeps them.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder application; old files of a previous version are removed first.
Source: "..\dist\console\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Console"; Filename: "{app}\{#AppExe}"
Name: "{autoprograms}\Console (demo)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{autodesktop}\Console"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
; A quick check that the installed copy works (QtWebEngine, map, store), then the first start.
Filename: "{app}\console-cli.exe"; Parameters: "--self-test"; StatusMsg: "Checking the installation..."; Flags: runhidden waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Console}"; Flags: nowait postinstall skipifsilent
