"""Read: pick the sentences that answer, by question type and a learned ranker; answer, hedge or decline."""
