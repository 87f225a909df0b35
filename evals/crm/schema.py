"""The 16 objects of the CRMArena org as SQLite tables (field names mirror ``schema_with_dependencies.json``).

Every table has ``Id`` (Salesforce-style: 3-character key prefix + 12 characters). Two fields are ours, marked with
the custom ``__c`` suffix as Salesforce does: ``User.Skills__c`` (issue ids the agent is trained on) and
``User.Region__c`` (state codes the agent covers).
The original lists both ``PriceBookEntryId`` and ``PricebookEntryId`` on OrderItem (one field, two spellings);
SQLite column names ignore case, so OrderItem keeps one: ``PricebookEntryId``.
"""

from __future__ import annotations

# object -> (key prefix, fields in schema order); every field is TEXT except the ones in NUMERIC_FIELDS
OBJECTS: dict[str, tuple[str, list[str]]] = {
    "User": ("005", ["FirstName", "LastName", "Email", "Phone", "Username", "Alias", "ProfileId", "LanguageLocaleKey",
                     "EmailEncodingKey", "TimeZoneSidKey", "LocaleSidKey", "Skills__c", "Region__c"]),
    "Account": ("001", ["FirstName", "LastName", "PersonEmail", "Phone", "RecordTypeId", "ShippingCity",
                        "ShippingState"]),
    "Contact": ("003", ["FirstName", "LastName", "Email", "AccountId", "OwnerId"]),
    "Case": ("500", ["Priority", "Subject", "Description", "Status", "Channel", "ContactId", "CreatedDate",
                     "ClosedDate", "OrderItemId__c", "IssueId__c", "AccountId", "OwnerId"]),
    "Knowledge__kav": ("ka0", ["Title", "FAQ_Answer__c", "Summary", "UrlName"]),
    "ProductCategory": ("0ZG", ["Name", "CatalogId"]),
    "Product2": ("01t", ["Name", "Description", "IsActive", "External_ID__c"]),
    "ProductCategoryProduct": ("0ZH", ["ProductCategory", "Product", "ProductCategoryId", "ProductId"]),
    "Pricebook2": ("01s", ["Name", "Description", "IsActive", "ValidFrom", "ValidTo"]),
    "PricebookEntry": ("01u", ["Pricebook2Id", "Product2Id", "UnitPrice"]),
    "Order": ("801", ["AccountId", "Status", "EffectiveDate", "Pricebook2Id"]),
    "OrderItem": ("802", ["OrderId", "Product2Id", "Quantity", "UnitPrice", "PricebookEntryId"]),
    "EmailMessage": ("02s", ["Subject", "TextBody", "ParentId", "FromAddress", "ToIds", "MessageDate"]),
    "LiveChatTranscript": ("570", ["CaseId", "AccountId", "OwnerId", "Body", "EndTime", "LiveChatVisitorId",
                                   "ContactId"]),
    "Issue__c": ("a1M", ["Name", "Description__c"]),
    "CaseHistory__c": ("a0X", ["CaseId__c", "OldValue__c", "NewValue__c", "CreatedDate", "Field__c"]),
}

NUMERIC_FIELDS = {"IsActive": "INTEGER", "UnitPrice": "REAL", "Quantity": "INTEGER"}

# field -> referenced object (dependencies.txt, plus the custom lookups of Case)
REFERENCES: dict[str, dict[str, str]] = {
    "Contact": {"AccountId": "Account", "OwnerId": "User"},
    "Case": {"ContactId": "Contact", "AccountId": "Account", "OwnerId": "User", "OrderItemId__c": "OrderItem",
             "IssueId__c": "Issue__c"},
    "ProductCategoryProduct": {"ProductCategoryId": "ProductCategory", "ProductId": "Product2"},
    "PricebookEntry": {"Pricebook2Id": "Pricebook2", "Product2Id": "Product2"},
    "Order": {"AccountId": "Account", "Pricebook2Id": "Pricebook2"},
    "OrderItem": {"Product2Id": "Product2", "OrderId": "Order", "PricebookEntryId": "PricebookEntry"},
    "EmailMessage": {"ParentId": "Case"},
    "LiveChatTranscript": {"OwnerId": "User", "ContactId": "Contact", "CaseId": "Case", "AccountId": "Account"},
    "CaseHistory__c": {"CaseId__c": "Case"},
}


def record_id(obj: str, n: int) -> str:
    """The ``n``-th record id of ``obj``: key prefix + 'SA' + 10 digits (15 characters, like a Salesforce id)."""
    return f"{OBJECTS[obj][0]}SA{n:010d}"


def ddl() -> list[str]:
    """CREATE TABLE statements, in schema order (names quoted: ``Order`` and ``Case`` are SQL keywords)."""
    out = []
    for obj, (_, fields) in OBJECTS.items():
        cols = ['"Id" TEXT PRIMARY KEY']
        for f in fields:
            ref = REFERENCES.get(obj, {}).get(f)
            col = f'"{f}" {NUMERIC_FIELDS.get(f, "TEXT")}'
            if ref:
                col += f' REFERENCES "{ref}"("Id")'
            cols.append(col)
        out.append(f'CREATE TABLE "{obj}" ({", ".join(cols)})')
    return out


def schema_text() -> str:
    """A compact schema for prompts: one line per table."""
    return "\n".join(f'"{obj}"(Id, {", ".join(fields)})' for obj, (_, fields) in OBJECTS.items())
