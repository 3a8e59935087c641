"""Services that change the organisation: units and their history, leaders, committees, task areas."""

from driftsblik.organisation.services.org_import import OrgImportSummary, org_import, org_import_tables

__all__ = ["OrgImportSummary", "org_import", "org_import_tables"]
