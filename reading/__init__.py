"""Reading the news: a temporal tagger and the article reader that proposes items (docs/reading.md)."""
