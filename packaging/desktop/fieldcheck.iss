; Inno Setup 6 script: the Windows installer of the desktop bundle.
; build.py --package runs it (iscc /DAppVersion=... /DSourceDir=dist\fieldcheck /DOutputDir=dist)
; after PyInstaller made dist\fieldcheck\ (fieldcheck.exe for commands, fieldcheck-app.exe for
; the window). Installs per user by default (no administrator needed; an IT officer may pick
; "all users"); the data stays in %LOCALAPPDATA%\fieldcheck\fieldcheck and survives an
; uninstall and an upgrade. Not tested on this project's machines (Linux only): see README.md.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\fieldcheck"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; The AppId ties upgrades to earlier installs: never change it.
AppId={{5B0E6F3A-1C47-4F7E-9A2D-6A1E3C8F2B71}
AppName=fieldcheck
AppVersion={#AppVersion}
AppVerName=fieldcheck {#AppVersion}
DefaultDirName={autopf}\fieldcheck
DefaultGroupName=fieldcheck
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=fieldcheck-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
UninstallDisplayIcon={app}\fieldcheck-app.exe
; Close a running fieldcheck before files are replaced (its edits are saved on close).
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese is one of Inno Setup's unofficial translations: copy ChineseSimplified.isl
; into Inno Setup's Languages folder and the installer speaks Chinese too.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program folder whole: no module of an older version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\fieldcheck"; Filename: "{app}\fieldcheck-app.exe"
Name: "{autodesktop}\fieldcheck"; Filename: "{app}\fieldcheck-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\fieldcheck-app.exe"; Description: "{cm:LaunchProgram,fieldcheck}"; Flags: nowait postinstall skipifsilent
