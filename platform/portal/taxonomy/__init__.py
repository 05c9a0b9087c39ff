"""Centers and topics: the shared vocabulary that labels listings in every language."""
