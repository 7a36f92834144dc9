"""The dataset as linked data: serializations, entity descriptions, dumps, VoID and the service description."""
