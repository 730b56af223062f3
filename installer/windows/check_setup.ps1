# Install the Windows setup as a user would (no administrator rights), check what it promises,
# then uninstall it and check that nothing is left. CI runs it after building the installer:
#
#   pwsh installer/windows/check_setup.ps1 dist/Nadir-0.1.0-windows-x64-setup.exe
param([Parameter(Mandatory = $true)][string]$Setup)
$ErrorActionPreference = "Stop"

function Fail($message) { Write-Error "check_setup: $message"; exit 1 }

$dir = Join-Path $env:LOCALAPPDATA "Programs\Nadir"
$log = Join-Path $env:RUNNER_TEMP "nadir-setup.log"
if (-not $env:RUNNER_TEMP) { $log = Join-Path $env:TEMP "nadir-setup.log" }

# /CURRENTUSER: the per-user mode a physician without admin rights gets.
$p = Start-Process -FilePath $Setup -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER", "/LOG=`"$log`"" -Wait -PassThru
if ($p.ExitCode -ne 0) { Get-Content $log | Select-Object -Last 40; Fail "setup exited $($p.ExitCode)" }

$exe = Join-Path $dir "Nadir.exe"
if (-not (Test-Path $exe)) { Fail "Nadir.exe not installed in $dir" }

# The .nadir association, per user.
$progId = (Get-ItemProperty "HKCU:\Software\Classes\.nadir")."(default)"
if ($progId -ne "Nadir.Project") { Fail ".nadir is associated with '$progId', not Nadir.Project" }
$command = (Get-ItemProperty "HKCU:\Software\Classes\Nadir.Project\shell\open\command")."(default)"
if ($command -notlike "*Nadir.exe*%1*") { Fail "open command is '$command'" }

# Start-menu entry.
$shortcut = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\Nadir.lnk"
if (-not (Test-Path $shortcut)) { Fail "no Start-menu shortcut at $shortcut" }

# Uninstaller registered with Windows (Settings > Apps).
$uninstallKey = Get-ChildItem "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall" |
  Where-Object { (Get-ItemProperty $_.PSPath).DisplayName -eq "Nadir" }
if (-not $uninstallKey) { Fail "no uninstall entry for Nadir" }

# The installed app draws the demo window.
$shot = Join-Path $env:TEMP "nadir-installed-demo.png"
$p = Start-Process -FilePath $exe -ArgumentList "demo", "--screenshot", "`"$shot`"" -Wait -PassThru
if ($p.ExitCode -ne 0 -or -not (Test-Path $shot) -or (Get-Item $shot).Length -lt 10000) {
  Fail "the installed Nadir.exe did not draw the demo window (exit $($p.ExitCode))"
}
Write-Host "installed, associated, started: OK"

# Uninstall and check that the files, the association and the shortcut are gone.
$uninstaller = Join-Path $dir "unins000.exe"
$p = Start-Process -FilePath $uninstaller -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART" -Wait -PassThru
if ($p.ExitCode -ne 0) { Fail "uninstaller exited $($p.ExitCode)" }
Start-Sleep -Seconds 3  # the uninstaller removes itself from a copy that exits after it
if (Test-Path $exe) { Fail "Nadir.exe still there after uninstalling" }
if (Test-Path "HKCU:\Software\Classes\Nadir.Project") { Fail "Nadir.Project still registered after uninstalling" }
if (Test-Path $shortcut) { Fail "Start-menu shortcut still there after uninstalling" }
Write-Host "uninstalled cleanly: OK"
