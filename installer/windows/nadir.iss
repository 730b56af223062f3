; Inno Setup 6 script: the Windows installer for Nadir.
;
; Packs the one-folder PyInstaller build in dist\Nadir\ into dist\Nadir-<version>-windows-x64-setup.exe.
; Build it with `python installer\build.py --installer` (which passes the version from
; pyproject.toml), or by hand after a build: iscc /DAppVersion=0.1.0 installer\windows\nadir.iss
;
; - Per-user install by default, no administrator rights: {autopf} is %LOCALAPPDATA%\Programs and
;   the registry entries go to HKCU. An administrator may choose "install for all users" in the
;   first dialog (PrivilegesRequiredOverridesAllowed), which switches both to machine-wide.
; - Start-menu entry, optional desktop icon, an uninstaller (Settings > Apps), and the .nadir file
;   association (double-clicking a project opens it in Nadir, with Nadir's icon in Explorer).
; - Code signing: compile with /DSign "/Snadirsign=signtool sign /fd sha256 /tr <timestamp URL>
;   /td sha256 /f <cert.pfx> /p <password> $f" and Inno Setup signs the setup and the uninstaller;
;   sign dist\Nadir\Nadir.exe before that (installer\README.md, "Signing").

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Nadir"
#define AppExe "Nadir.exe"
#define ProgId "Nadir.Project"
#define Root "..\.."

[Setup]
; The AppId identifies Nadir to Windows across versions (upgrades, uninstall): never change it.
AppId={{5B7E2A43-0C1D-4E5A-9B0E-6F7C1D2A8E91}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Nadir
AppComments=Absolute neutrophil count against drug infusions, per treatment cycle
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
CloseApplications=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile={#Root}\resources\icons\nadir.ico
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
#ifdef Sign
SignTool=nadirsign
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "italian"; MessagesFile: "compiler:Languages\Italian.isl"
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\Nadir\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: files a newer build no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Neutrophil count against drug infusions"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .nadir -> Nadir.Project, under HKCU\Software\Classes for a per-user install (HKA follows the
; install mode). OpenWithProgids adds Nadir without taking the extension from another program.
Root: HKA; Subkey: "Software\Classes\.nadir"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.nadir"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-nadir"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.nadir\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Nadir project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".nadir"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
