def test_home_page_lists_the_six_consultations(client, council, db):
    from tests.factories import make_process

    make_process()
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 200
    assert response.data.count(b"Principle ") >= 6
