"""Reports for site and agency admins: dashboard charts and CSV exports."""
