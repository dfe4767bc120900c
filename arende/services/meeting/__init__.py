"""The meeting (sammanträde): the plan, members, the föredragningslista, the kallelse,
recording the §, the protokoll and the notice. See db/models/meetings.py for how the
model maps to OParl 1.1."""
