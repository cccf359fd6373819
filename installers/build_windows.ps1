# Build the Windows folder application and its installer, in one command (PowerShell):
#   powershell -ExecutionPolicy Bypass -File installers\build_windows.ps1
# Needs: Python 3.11+ x64 with the project installed (pip install -e ".[installers]"), the Qt
# tools that come with PySide6, and Inno Setup 6 (iscc.exe on PATH or in its default folder).
# Output: dist\console\ (console.exe, console-cli.exe) and dist\console-<version>-setup.exe.
# Same spec as Linux, so the same exclusions and data files: installers\bundle_rules.py keeps of
# Qt what installers\runtime_manifest.json records (a Linux run: Windows has the same modules,
# plugins under their .dll names) plus the Windows platform plugin and styles; all of resources\.
# NOT BUILT YET: no Windows machine was available; run this once before trusting it.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$start = Get-Date
$version = python -c "import importlib.metadata as m; print(m.version('console'))"

python -m pip show pyinstaller *> $null
if ($LASTEXITCODE -ne 0) { python -m pip install "pyinstaller>=6.10" }

Write-Host "== translations"
Get-ChildItem resources\translations\console_*.ts | ForEach-Object {
    pyside6-lrelease -silent $_.FullName -qm ($_.FullName -replace '\.ts$', '.qm')
    if ($LASTEXITCODE -ne 0) { throw "lrelease failed on $($_.Name)" }
}

Write-Host "== pyinstaller"
python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller installers\console.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$size = [int]((Get-ChildItem dist\console -Recurse -File | Measure-Object Length -Sum).Sum / 1MB)
Write-Host "== built dist\console: $size MB"

Write-Host "== smoke test"
python installers\smoke_test.py dist\console
if ($LASTEXITCODE -ne 0) { throw "the frozen application failed its self-test" }

Write-Host "== installer"
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installers\console.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }

$seconds = [int]((Get-Date) - $start).TotalSeconds
Write-Host "== done in $seconds s: dist\console-$version-setup.exe"
