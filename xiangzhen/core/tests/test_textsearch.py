from xiangzhen.core.textsearch import index_text, query_words


def test_domain_words_stay_whole():
    assert "留守儿童" in query_words("留守儿童")
    assert " 留守儿童 " in index_text("农村留守儿童课后辅导")


def test_index_holds_shorter_words_inside_longer_ones():
    index = index_text("十八洞村猕猴桃产业技术培训")
    assert " 猕猴桃 " in index and " 培训 " in index


def test_punctuation_is_not_a_word():
    assert query_words("助学，助老！") == ["助学", "助老"]
