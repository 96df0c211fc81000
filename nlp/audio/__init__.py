"""Audio to transcript: decoding, Whisper engines and their guards, speakers and diarization."""
