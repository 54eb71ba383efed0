#!/bin/sh
# Printed by `make run` before the interface opens: who to sign in as.
cat <<'MSG'
folio demo database — sign in as one of (password: demo-NAME-pass):
  admin   security officer      desk    front desk
  tech    records technician    super   HIM supervisor
  doctor  physician (signature code: demo-doctor-sign)
Find a patient (try SMI,J), then O opens the chart.
Press Enter to continue.
MSG
read -r _ || true
